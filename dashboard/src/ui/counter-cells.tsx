/** The counter columns every stats table shows: impressions, conversions, rate, revenue. */
import type { Money } from '../apollo/types.js';
import { formatCount, formatMoney, formatRate } from './format.js';

export interface Counters {
  readonly impressions: number;
  readonly conversions: number;
  readonly conversionRate: number;
  readonly revenue: readonly Money[];
}

export function CounterHeaders() {
  return (
    <>
      <th className="number">Impressions</th>
      <th className="number">Conversions</th>
      <th className="number">Rate</th>
      <th>Revenue</th>
    </>
  );
}

export function CounterCells({ counters }: { readonly counters: Counters }) {
  return (
    <>
      <td className="number">{formatCount(counters.impressions)}</td>
      <td className="number">{formatCount(counters.conversions)}</td>
      <td className="number">{formatRate(counters.conversionRate)}</td>
      <td>{formatMoney(counters.revenue)}</td>
    </>
  );
}
