import { badInput } from '../../shared/errors/codes.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import { entryStreamId, type AnalysisStatus, type SubjectType } from '../domain/index.js';
import { meanOfE4 } from '../projections/analytics.js';
import {
  assessmentFromPrisma,
  comparisonFromPrisma,
  entryFromPrisma,
  jobFromPrisma,
  type AnalysisJobRow,
  type AssessmentRow,
  type ComparisonRow,
  type EntryRow,
} from './rows.js';

type Page = { first?: number | null; after?: string | null };

/** Longest trend window, in days. */
export const MAX_TREND_DAYS = 366;

/** A (createdAt desc, id desc) keyset condition after a cursor [iso, id]. */
function beforeKey(after: unknown[] | undefined, field: string) {
  if (!after) return {};
  const at = new Date(String(after[0]));
  if (Number.isNaN(at.getTime())) throw badInput('after is not a valid cursor', 'after');
  return { OR: [{ [field]: { lt: at } }, { [field]: at, id: { lt: String(after[1]) } }] };
}

/** Read-side queries that are lists, trails or aggregates (single lookups go through the loaders). */
export function historyQueries(platform: Platform) {
  const { prisma } = platform.db;
  return {
    async entries(
      args: Page & { model?: string | null; subjectType?: SubjectType | null; subjectId?: string | null; includeDeleted?: boolean | null },
    ): Promise<Connection<EntryRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      const rows = await prisma.historyEntry.findMany({
        where: {
          AND: [
            args.includeDeleted ? {} : { deleted: false },
            args.model != null ? { model: args.model } : {},
            args.subjectType != null ? { subjectType: args.subjectType } : {},
            args.subjectId != null ? { subjectId: args.subjectId } : {},
            beforeKey(after, 'createdAt'),
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(entryFromPrisma), size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    /** Assessments of one entry, newest first. */
    async assessments(entryId: string, args: Page): Promise<Connection<AssessmentRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      if (after && !/^\d+$/.test(String(after[0]))) throw badInput('after is not a valid cursor', 'after');
      const rows = await prisma.historyAssessment.findMany({
        where: { entryId, ...(after ? { position: { lt: BigInt(String(after[0])) } } : {}) },
        orderBy: { position: 'desc' },
        take: size + 1,
      });
      return toConnection(rows.map(assessmentFromPrisma), size, (row) => [row.position]);
    },

    async comparisons(args: Page & { entryId?: string | null }): Promise<Connection<ComparisonRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      const rows = await prisma.historyComparison.findMany({
        where: {
          AND: [
            args.entryId != null ? { OR: [{ leftEntryId: args.entryId }, { rightEntryId: args.entryId }] } : {},
            beforeKey(after, 'comparedAt'),
          ],
        },
        orderBy: [{ comparedAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(comparisonFromPrisma), size, (row) => [row.comparedAt.toISOString(), row.id]);
    },

    async analysisJobs(args: Page & { status?: AnalysisStatus | null }): Promise<Connection<AnalysisJobRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      const rows = await prisma.historyAnalysisJob.findMany({
        where: { AND: [args.status != null ? { status: args.status } : {}, beforeKey(after, 'startedAt')] },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(jobFromPrisma), size, (row) => [row.startedAt.toISOString(), row.id]);
    },

    /** The audit trail of one entry: its stream, oldest first. */
    async entryEvents(entryId: string, args: Page): Promise<Connection<RecordedEvent>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      const afterVersion = after ? Number(after[0]) : 0;
      if (!Number.isSafeInteger(afterVersion) || afterVersion < 0) throw badInput('after is not a valid cursor', 'after');
      const events = await platform.store.readStream(entryStreamId(entryId), { afterVersion });
      return toConnection(events.slice(0, size + 1), size, (event) => [event.version]);
    },

    async modelNames(): Promise<string[]> {
      const rows = await prisma.historyModelAnalytics.findMany({ select: { model: true }, orderBy: { model: 'asc' } });
      return rows.map((row) => row.model);
    },

    /** Daily assessments of a model over the last `days` UTC days (today included), oldest first. */
    async trend(model: string, days: number | null | undefined): Promise<Array<{ day: string; assessments: number; meanQuality: number }>> {
      const window = days ?? 30;
      if (!Number.isInteger(window) || window < 1 || window > MAX_TREND_DAYS) {
        throw badInput(`days must be an integer from 1 to ${MAX_TREND_DAYS}`, 'days');
      }
      const since = new Date(Date.now() - (window - 1) * 86_400_000).toISOString().slice(0, 10);
      const rows = await prisma.historyModelDaily.findMany({ where: { model, day: { gte: since } }, orderBy: { day: 'asc' } });
      return rows
        .filter((row) => row.assessments > 0)
        .map((row) => ({ day: row.day, assessments: row.assessments, meanQuality: meanOfE4(Number(row.scoreSumE4), row.assessments) ?? 0 }));
    },
  };
}

export type HistoryQueries = ReturnType<typeof historyQueries>;
