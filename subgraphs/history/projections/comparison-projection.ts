import { insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { COMPARISON_CATEGORY, COMPARISON_EVENTS, type ComparisonEvent } from '../domain/index.js';
import type { ComparisonRow } from './rows.js';

/** The row a ComparisonRecorded event stands for. */
export function comparisonRowOf(event: RecordedEvent<ComparisonEvent>): ComparisonRow | undefined {
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
    position: event.position,
    comparedAt: event.occurredAt,
  };
}

/** Comparisons read model: one row per `comparison-<id>` stream. */
export const comparisonProjection: StreamProjection<ComparisonRow | undefined, ComparisonRow, ComparisonEvent> = {
  name: 'history-comparisons',
  category: COMPARISON_CATEGORY,
  events: COMPARISON_EVENTS,
  tables: ['history_comparisons'],
  initial: () => undefined,
  evolve: (row, event) => comparisonRowOf(event) ?? row,
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    // A comparison is recorded once and never changes.
    await insertRows(kyselyOver(sql), 'historyComparisons', rows)
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  },
};
