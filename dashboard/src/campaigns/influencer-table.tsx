/** The campaign's counters per influencer, most impressions first. */
import type { InfluencerBreakdown } from '../apollo/types.js';
import { CounterCells, CounterHeaders } from '../ui/counter-cells.js';

export function InfluencerTable({ rows }: { readonly rows: readonly InfluencerBreakdown[] }) {
  if (rows.length === 0) return <p className="muted">No influencer activity yet.</p>;
  return (
    <table className="table" data-testid="influencer-table">
      <thead>
        <tr>
          <th>Influencer</th>
          <th>Platform</th>
          <CounterHeaders />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{row.influencer.handle}</td>
            <td>{row.influencer.platform}</td>
            <CounterCells counters={row} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
