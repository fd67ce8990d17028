import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { ANALYSIS_CATEGORY, type AnalysisEvent } from '../domain/index.js';
import type { AnalysisJobRow } from './rows.js';

/** Applies one analysis job event to its row (pure). */
export function evolveAnalysisJobRow(row: AnalysisJobRow | undefined, recorded: RecordedEvent): AnalysisJobRow | undefined {
  const event = recorded as unknown as AnalysisEvent;
  const at = recorded.occurredAt;
  const common = { version: recorded.version, position: recorded.position, updatedAt: at };
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
      return row && {
        ...row,
        processed: event.data.processed,
        assessed: event.data.assessed,
        skipped: event.data.skipped,
        total: event.data.total,
        cursor: event.data.cursor,
        ...common,
      };
    case 'AnalysisCompleted':
      return row && {
        ...row,
        status: 'COMPLETED',
        processed: event.data.processed,
        assessed: event.data.assessed,
        skipped: event.data.skipped,
        total: event.data.total,
        finishedAt: at,
        ...common,
      };
    case 'AnalysisFailed':
      return row && { ...row, status: 'FAILED', error: event.data.error, finishedAt: at, ...common };
    default:
      return row && { ...row, ...common };
  }
}

/** Analysis jobs read model: one row per `analysis-<jobId>` stream. */
export const analysisJobProjection: StreamProjection<AnalysisJobRow | undefined, AnalysisJobRow> = {
  name: 'history-analysis-jobs',
  category: ANALYSIS_CATEGORY,
  tables: ['history_analysis_jobs'],
  initial: () => undefined,
  evolve: evolveAnalysisJobRow,
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    await sql.query(
      `INSERT INTO history_analysis_jobs (id, status, filter, total, processed, assessed, skipped, cursor, as_of_position,
         assessor_name, assessor_version, error, version, position, started_at, updated_at, finished_at)
       SELECT t.id, t.status, t.filter::jsonb, t.total, t.processed, t.assessed, t.skipped, t.cursor, t.as_of_position,
         t.assessor_name, t.assessor_version, t.error, t.version, t.position, t.started_at, t.updated_at, t.finished_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[], $9::bigint[],
         $10::text[], $11::text[], $12::text[], $13::int[], $14::bigint[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[])
         AS t(id, status, filter, total, processed, assessed, skipped, cursor, as_of_position, assessor_name, assessor_version,
           error, version, position, started_at, updated_at, finished_at)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, total = EXCLUDED.total, processed = EXCLUDED.processed,
         assessed = EXCLUDED.assessed, skipped = EXCLUDED.skipped, cursor = EXCLUDED.cursor, error = EXCLUDED.error,
         version = EXCLUDED.version, position = EXCLUDED.position, updated_at = EXCLUDED.updated_at, finished_at = EXCLUDED.finished_at`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.status),
        rows.map((row) => JSON.stringify(row.filter)),
        rows.map((row) => row.total),
        rows.map((row) => row.processed),
        rows.map((row) => row.assessed),
        rows.map((row) => row.skipped),
        rows.map((row) => row.cursor),
        rows.map((row) => row.asOfPosition),
        rows.map((row) => row.assessorName),
        rows.map((row) => row.assessorVersion),
        rows.map((row) => row.error),
        rows.map((row) => row.version),
        rows.map((row) => row.position),
        rows.map((row) => row.startedAt.toISOString()),
        rows.map((row) => row.updatedAt.toISOString()),
        rows.map((row) => (row.finishedAt ? row.finishedAt.toISOString() : null)),
      ],
    );
  },
};
