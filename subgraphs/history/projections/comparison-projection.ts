import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { COMPARISON_CATEGORY, type ComparisonEvent } from '../domain/index.js';
import type { ComparisonRow } from './rows.js';

/** The row a ComparisonRecorded event stands for. */
export function comparisonRowOf(recorded: RecordedEvent): ComparisonRow | undefined {
  const event = recorded as unknown as ComparisonEvent;
  if (event.type !== 'ComparisonRecorded') return undefined;
  const { data } = event;
  return {
    id: data.comparisonId,
    leftEntryId: data.left.entryId,
    leftVersion: data.left.version,
    leftQuality: data.left.quality,
    rightEntryId: data.right.entryId,
    rightVersion: data.right.version,
    rightQuality: data.right.quality,
    similarity: data.similarity,
    jaccard: data.jaccard,
    editDistanceRatio: data.editDistanceRatio,
    scores: data.scores,
    leftMetrics: data.leftMetrics,
    rightMetrics: data.rightMetrics,
    metricDeltas: data.metricDeltas,
    winner: data.winner,
    winnerEntryId: data.winnerEntryId,
    analyzerName: data.analyzer.name,
    analyzerVersion: data.analyzer.version,
    assessorName: data.assessor.name,
    assessorVersion: data.assessor.version,
    position: recorded.position,
    comparedAt: recorded.occurredAt,
  };
}

const json = (value: unknown): string => JSON.stringify(value);

/** Comparisons read model: one row per `comparison-<id>` stream. */
export const comparisonProjection: StreamProjection<ComparisonRow | undefined, ComparisonRow> = {
  name: 'history-comparisons',
  category: COMPARISON_CATEGORY,
  tables: ['history_comparisons'],
  initial: () => undefined,
  evolve: (row, event) => comparisonRowOf(event) ?? row,
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    await sql.query(
      `INSERT INTO history_comparisons (id, left_entry_id, left_version, left_quality, right_entry_id, right_version, right_quality,
         similarity, jaccard, edit_distance_ratio, scores, left_metrics, right_metrics, metric_deltas, winner, winner_entry_id,
         analyzer_name, analyzer_version, assessor_name, assessor_version, position, compared_at)
       SELECT t.id, t.left_entry_id, t.left_version, t.left_quality, t.right_entry_id, t.right_version, t.right_quality,
         t.similarity, t.jaccard, t.edit_distance_ratio, t.scores::jsonb, t.left_metrics::jsonb, t.right_metrics::jsonb,
         t.metric_deltas::jsonb, t.winner, t.winner_entry_id, t.analyzer_name, t.analyzer_version, t.assessor_name,
         t.assessor_version, t.position, t.compared_at
       FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::text[], $6::int[], $7::float8[], $8::float8[], $9::float8[],
         $10::float8[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
         $19::text[], $20::text[], $21::bigint[], $22::timestamptz[])
         AS t(id, left_entry_id, left_version, left_quality, right_entry_id, right_version, right_quality, similarity, jaccard,
           edit_distance_ratio, scores, left_metrics, right_metrics, metric_deltas, winner, winner_entry_id, analyzer_name,
           analyzer_version, assessor_name, assessor_version, position, compared_at)
       ON CONFLICT (id) DO NOTHING`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.leftEntryId),
        rows.map((row) => row.leftVersion),
        rows.map((row) => row.leftQuality),
        rows.map((row) => row.rightEntryId),
        rows.map((row) => row.rightVersion),
        rows.map((row) => row.rightQuality),
        rows.map((row) => row.similarity),
        rows.map((row) => row.jaccard),
        rows.map((row) => row.editDistanceRatio),
        rows.map((row) => json(row.scores)),
        rows.map((row) => json(row.leftMetrics)),
        rows.map((row) => json(row.rightMetrics)),
        rows.map((row) => json(row.metricDeltas)),
        rows.map((row) => row.winner),
        rows.map((row) => row.winnerEntryId),
        rows.map((row) => row.analyzerName),
        rows.map((row) => row.analyzerVersion),
        rows.map((row) => row.assessorName),
        rows.map((row) => row.assessorVersion),
        rows.map((row) => row.position),
        rows.map((row) => row.comparedAt.toISOString()),
      ],
    );
  },
};
