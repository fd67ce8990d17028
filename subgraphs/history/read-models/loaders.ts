import DataLoader from 'dataloader';
import type { PrismaClient } from '../../shared/database/connect.js';
import { byId, groupBy } from '../../shared/graphql/batch-results.js';
import type { SubjectType } from '../domain/index.js';
import {
  assessmentFromPrisma,
  comparisonFromPrisma,
  entryFromPrisma,
  jobFromPrisma,
  versionFromPrisma,
  type AnalysisJobRow,
  type AssessmentRow,
  type ComparisonRow,
  type EntryRow,
  type EntryVersionRow,
  type ModelAnalyticsView,
} from './rows.js';

/** Key of one content version. */
export interface VersionKey {
  readonly entryId: string;
  readonly version: number;
}

/** Key of a subject (campaign or product). */
export interface SubjectKey {
  readonly type: SubjectType;
  readonly id: string;
}

const versionKey = (key: VersionKey) => `${key.entryId}\u0000${key.version}`;
const subjectKey = (key: SubjectKey) => `${key.type}\u0000${key.id}`;

/**
 * Per-request batch loaders: every lookup of one request, `__resolveReference` included, becomes
 * one SQL query per kind and tick.
 */
export function createHistoryLoaders(prisma: PrismaClient) {
  return {
    entry: new DataLoader<string, EntryRow | null>(async (ids) =>
      byId(ids, (await prisma.historyEntry.findMany({ where: { id: { in: [...ids] } } })).map(entryFromPrisma)),
    ),
    version: new DataLoader<VersionKey, EntryVersionRow | null, string>(
      async (keys) => {
        const rows = await prisma.historyEntryVersion.findMany({
          where: { OR: keys.map((key) => ({ entryId: key.entryId, version: key.version })) },
        });
        const found = new Map(rows.map((row) => [versionKey(row), versionFromPrisma(row)]));
        return keys.map((key) => found.get(versionKey(key)) ?? null);
      },
      { cacheKeyFn: versionKey },
    ),
    versionsByEntry: new DataLoader<string, EntryVersionRow[]>(async (entryIds) => {
      const rows = await prisma.historyEntryVersion.findMany({
        where: { entryId: { in: [...entryIds] } },
        orderBy: [{ entryId: 'asc' }, { version: 'asc' }],
      });
      return groupBy(entryIds, rows.map(versionFromPrisma), (row) => row.entryId);
    }),
    assessment: new DataLoader<string, AssessmentRow | null>(async (ids) =>
      byId(ids, (await prisma.historyAssessment.findMany({ where: { id: { in: [...ids] } } })).map(assessmentFromPrisma)),
    ),
    comparison: new DataLoader<string, ComparisonRow | null>(async (ids) =>
      byId(ids, (await prisma.historyComparison.findMany({ where: { id: { in: [...ids] } } })).map(comparisonFromPrisma)),
    ),
    job: new DataLoader<string, AnalysisJobRow | null>(async (ids) =>
      byId(ids, (await prisma.historyAnalysisJob.findMany({ where: { id: { in: [...ids] } } })).map(jobFromPrisma)),
    ),
    /** Live (not deleted) entries about a subject, oldest first. */
    entriesBySubject: new DataLoader<SubjectKey, EntryRow[], string>(
      async (keys) => {
        const rows = await prisma.historyEntry.findMany({
          where: { deleted: false, OR: keys.map((key) => ({ subjectType: key.type, subjectId: key.id })) },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        return groupBy(keys.map(subjectKey), rows.map(entryFromPrisma), (row) => subjectKey({ type: row.subjectType!, id: row.subjectId! }));
      },
      { cacheKeyFn: subjectKey },
    ),
    modelAnalytics: new DataLoader<string, ModelAnalyticsView | null>(async (models) => {
      const [totals, buckets] = await Promise.all([
        prisma.historyModelAnalytics.findMany({ where: { model: { in: [...models] } } }),
        prisma.historyModelScoreBucket.findMany({ where: { model: { in: [...models] }, count: { gt: 0 } }, orderBy: [{ model: 'asc' }, { bucket: 'asc' }] }),
      ]);
      const bucketsByModel = groupBy(models, buckets, (row) => row.model);
      return models.map((model, index) => {
        const row = totals.find((total) => total.model === model);
        if (!row) return null;
        return {
          model,
          entries: row.entries,
          assessedEntries: row.assessedEntries,
          assessments: row.assessments,
          scoreSumE4: Number(row.scoreSumE4),
          updatedAt: row.updatedAt,
          buckets: (bucketsByModel[index] ?? []).map((bucket) => ({ bucket: bucket.bucket, count: bucket.count })),
        };
      });
    }),
  };
}

export type HistoryLoaders = ReturnType<typeof createHistoryLoaders>;
