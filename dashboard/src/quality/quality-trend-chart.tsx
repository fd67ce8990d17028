/** Mean quality per model and UTC day, one line per model. */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelAnalytics } from '../apollo/types.js';

const COLOURS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'];

export function QualityTrendChart({ analytics }: { readonly analytics: readonly ModelAnalytics[] }) {
  const days = [...new Set(analytics.flatMap((model) => model.trend.map((point) => point.day)))].sort();
  if (days.length === 0) return <p className="muted">No assessments in the last 30 days.</p>;
  const points = days.map((day) => {
    const point: Record<string, string | number> = { day };
    for (const model of analytics) {
      const entry = model.trend.find((candidate) => candidate.day === day);
      if (entry) point[model.model] = Math.round(entry.meanQuality * 1000) / 1000;
    }
    return point;
  });
  return (
    <div className="chart" data-testid="quality-chart">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 1]} tick={{ fontSize: 11 }} width={40} />
          <Tooltip />
          <Legend />
          {analytics.map((model, index) => (
            <Line
              key={model.id}
              type="monotone"
              dataKey={model.model}
              stroke={COLOURS[index % COLOURS.length]}
              dot={{ r: 4 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
