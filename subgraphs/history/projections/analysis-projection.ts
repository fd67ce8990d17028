import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { ANALYSIS_CATEGORY, ANALYSIS_EVENTS, type AnalysisEvent } from '../domain/index.js';
import type { AnalysisJobRow } from './rows.js';

/** Applies one analysis job event to its row (pure). */
export function evolveAnalysisJobRow(row: AnalysisJobRow | undefined, event: RecordedEvent<AnalysisEvent>): AnalysisJobRow | undefined {
  const at = event.occurredAt;
  const common = { version: event.version, position: event.position, updatedAt: at };
  switch (event.type) {
    case 'AnalysisStarted':
      return {
        id: event.data.jobId,
        status: 'RUNNING',
        filter: event.data.filter,
        total: event.data.total,
        processed: 0,
        assessed: 0,
        skipped: 0,
        cursor: null,
        asOfPosition: event.data.asOfPosition,
        assessorName: event.data.assessor.name,
        assessorVersion: event.data.assessor.version,
        error: null,
        startedAt: at,
        finishedAt: null,
        ...common,
      };
    case 'AnalysisProgressed':
      return (
        row && {
          ...row,
          processed: event.data.processed,
          assessed: event.data.assessed,
          skipped: event.data.skipped,
          total: event.data.total,
          cursor: event.data.cursor,
          ...common,
        }
      );
    case 'AnalysisCompleted':
      return (
        row && {
          ...row,
          status: 'COMPLETED',
          processed: event.data.processed,
          assessed: event.data.assessed,
          skipped: event.data.skipped,
          total: event.data.total,
          finishedAt: at,
          ...common,
        }
      );
    case 'AnalysisFailed':
      return row && { ...row, status: 'FAILED', error: event.data.error, finishedAt: at, ...common };
    default:
      return row && { ...row, ...common };
  }
}

/** Analysis jobs read model: one row per `analysis-<jobId>` stream. */
export const analysisJobProjection: StreamProjection<AnalysisJobRow | undefined, AnalysisJobRow, AnalysisEvent> = {
  name: 'history-analysis-jobs',
  category: ANALYSIS_CATEGORY,
  events: ANALYSIS_EVENTS,
  tables: ['history_analysis_jobs'],
  initial: () => undefined,
  evolve: evolveAnalysisJobRow,
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    // What the job started with (its filter, the position it counted at, its assessor) never changes.
    const unchanged = ['id', 'filter', 'asOfPosition', 'assessorName', 'assessorVersion', 'startedAt'] as const;
    await insertRows(kyselyOver(sql), 'historyAnalysisJobs', rows)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('historyAnalysisJobs', columnsExcept('historyAnalysisJobs', unchanged))))
      .execute();
  },
};
