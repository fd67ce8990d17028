/** Impressions and conversions per UTC hour, as bars. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HourlyBucket } from '../apollo/types.js';

const label = (hour: string) => `${hour.slice(5, 10)} ${hour.slice(11, 13)}h`;

export function HourlyChart({ buckets }: { readonly buckets: readonly HourlyBucket[] }) {
  if (buckets.length === 0) return <p className="muted">No activity in the last two weeks.</p>;
  const points = buckets.map((bucket) => ({ hour: label(bucket.hour), impressions: bucket.impressions, conversions: bucket.conversions }));
  return (
    <div className="chart" data-testid="hourly-chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" minTickGap={24} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={48} />
          <Tooltip />
          <Legend />
          <Bar dataKey="impressions" fill="#4c78a8" isAnimationActive={false} />
          <Bar dataKey="conversions" fill="#f58518" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
