import { badInput } from '../../shared/errors/codes.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import { ENTRY_EVENTS, entryStreamId, type AnalysisStatus, type EntryEvent, type SubjectType } from '../domain/index.js';
import { meanOfE4 } from '../projections/analytics.js';
import type { AnalysisJobRow, AssessmentRow, ComparisonRow, EntryRow } from './rows.js';

type Page = { first?: number | null; after?: string | null };

/** Longest trend window, in days. */
export const MAX_TREND_DAYS = 366;

/** The (instant, id) key of a newest-first cursor [iso, id]: rows before it in that order come next. */
function instantCursor(after: unknown[] | undefined): { at: Date; id: string } | undefined {
  if (!after) return undefined;
  const at = new Date(String(after[0]));
  if (Number.isNaN(at.getTime())) throw badInput('after is not a valid cursor', 'after');
  return { at, id: String(after[1]) };
}

/** Read-side queries that are lists, trails or aggregates (single lookups go through the loaders). */
export function historyQueries(platform: Platform) {
  const { kysely } = platform.db;
  const entries = platform.store.withEvents(ENTRY_EVENTS);
  return {
    async entries(
      args: Page & { model?: string | null; subjectType?: SubjectType | null; subjectId?: string | null; includeDeleted?: boolean | null },
    ): Promise<Connection<EntryRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(decodeCursor(args.after));
      let query = kysely.selectFrom('historyEntries').selectAll();
      if (!args.includeDeleted) query = query.where('deleted', '=', false);
      if (args.model != null) query = query.where('model', '=', args.model);
      if (args.subjectType != null) query = query.where('subjectType', '=', args.subjectType);
      if (args.subjectId != null) query = query.where('subjectId', '=', args.subjectId);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    /** Assessments of one entry, newest first. */
    async assessments(entryId: string, args: Page): Promise<Connection<AssessmentRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      if (after && !/^\d+$/.test(String(after[0]))) throw badInput('after is not a valid cursor', 'after');
      let query = kysely.selectFrom('historyAssessments').selectAll().where('entryId', '=', entryId);
      if (after) query = query.where('position', '<', String(after[0]));
      const rows = await query
        .orderBy('position', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.position]);
    },

    async comparisons(args: Page & { entryId?: string | null }): Promise<Connection<ComparisonRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(decodeCursor(args.after));
      const entryId = args.entryId;
      let query = kysely.selectFrom('historyComparisons').selectAll();
      if (entryId != null) query = query.where((eb) => eb.or([eb('leftEntryId', '=', entryId), eb('rightEntryId', '=', entryId)]));
      if (cursor) query = query.where((eb) => eb(eb.refTuple('comparedAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('comparedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.comparedAt.toISOString(), row.id]);
    },

    async analysisJobs(args: Page & { status?: AnalysisStatus | null }): Promise<Connection<AnalysisJobRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(decodeCursor(args.after));
      let query = kysely.selectFrom('historyAnalysisJobs').selectAll();
      if (args.status != null) query = query.where('status', '=', args.status);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('startedAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('startedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.startedAt.toISOString(), row.id]);
    },

    /** The audit trail of one entry: its stream, oldest first. */
    async entryEvents(entryId: string, args: Page): Promise<Connection<RecordedEvent<EntryEvent>>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      const afterVersion = after ? Number(after[0]) : 0;
      if (!Number.isSafeInteger(afterVersion) || afterVersion < 0) throw badInput('after is not a valid cursor', 'after');
      const events = await entries.readStream(entryStreamId(entryId), { afterVersion });
      return toConnection(events.slice(0, size + 1), size, (event) => [event.version]);
    },

    async modelNames(): Promise<string[]> {
      const rows = await kysely.selectFrom('historyModelAnalytics').select('model').orderBy('model').execute();
      return rows.map((row) => row.model);
    },

    /** Daily assessments of a model over the last `days` UTC days (today included), oldest first. */
    async trend(model: string, days: number | null | undefined): Promise<Array<{ day: string; assessments: number; meanQuality: number }>> {
      const window = days ?? 30;
      if (!Number.isInteger(window) || window < 1 || window > MAX_TREND_DAYS) {
        throw badInput(`days must be an integer from 1 to ${MAX_TREND_DAYS}`, 'days');
      }
      const since = new Date(Date.now() - (window - 1) * 86_400_000).toISOString().slice(0, 10);
      const rows = await kysely.selectFrom('historyModelDaily').selectAll().where('model', '=', model).where('day', '>=', since).orderBy('day').execute();
      return rows
        .filter((row) => row.assessments > 0)
        .map((row) => ({ day: row.day, assessments: row.assessments, meanQuality: meanOfE4(Number(row.scoreSumE4), row.assessments) ?? 0 }));
    },
  };
}

export type HistoryQueries = ReturnType<typeof historyQueries>;
