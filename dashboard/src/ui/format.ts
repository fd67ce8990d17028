/** Number and money formatting shared by the pages. */
import type { Money } from '../apollo/types.js';

const integer = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 });

export const formatCount = (value: number): string => integer.format(value);
export const formatRate = (value: number): string => percent.format(value);
export const formatScore = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : value.toFixed(2));

/** "1,234.50 EUR · 99.00 USD", or "—" without revenue. */
export function formatMoney(amounts: readonly Money[]): string {
  if (amounts.length === 0) return '—';
  return amounts
    .map((money) => `${integer.format(Math.floor(Number(money.amount)))}${money.amount.slice(money.amount.indexOf('.'))} ${money.currency}`)
    .join(' · ');
}

/** "2026-11-24 18:05" in UTC. */
export const formatInstant = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
