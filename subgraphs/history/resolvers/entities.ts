import type { AnalysisStatus, SubjectType } from '../domain/index.js';
import type { HistoryContext } from '../context.js';
import { meanOfE4, quantileOfBuckets } from '../projections/analytics.js';
import { entryAtVersion, type EntryRow, type EntryView } from '../read-models/rows.js';
import { versionRow } from '../projections/entry-projection.js';
import { entryVersionId, eventId } from '../read-models/identities.js';
import type { GraphQLResolveInfo } from 'graphql';
import { selects } from '../../shared/graphql/selection.js';
import type { Resolvers } from './resolvers-types.generated.js';

const ref = (name: string, version: string) => ({ name, version });

/** The entry as it was at `version` (null when either is unknown). */
export async function loadEntryAt(ctx: HistoryContext, entryId: string, version: number): Promise<EntryView | null> {
  const [current, row] = await Promise.all([ctx.loaders.entry.load(entryId), ctx.loaders.version.load({ entryId, version })]);
  if (!current || !row) return null;
  return row.version === current.version ? current : entryAtVersion(current, row);
}

/** processed / total, 0..1; an empty job is done (1) once completed. */
export function jobProgress(job: { status: AnalysisStatus; total: number; processed: number }): number {
  if (job.total === 0) return job.status === 'COMPLETED' ? 1 : 0;
  return Math.min(1, Math.round((job.processed / job.total) * 10_000) / 10_000);
}

/** The live creatives (or descriptions) of a subject; read with their latest assessments when `info` shows those. */
const entriesOf = (ctx: HistoryContext, type: SubjectType, id: string, info: GraphQLResolveInfo) =>
  ctx.loaders.entriesBySubject.load({ key: { type, id }, joined: selects(info, ['latestAssessment']) });

/** The entry with the highest latest score; ties go to the earliest created. */
export function bestOf(entries: readonly EntryRow[]): EntryRow | null {
  let best: EntryRow | null = null;
  for (const entry of entries) {
    if (entry.latestScore === null) continue;
    if (!best || entry.latestScore > best.latestScore!) best = entry;
  }
  return best;
}

/** Field resolvers of the history types, including federation's `__resolveReference`. */
export const entityResolvers: Resolvers = {
  HistoryEntry: {
    __resolveReference: (reference, ctx) => ctx.loaders.entry.load(reference.id),
    latestVersion: (entry) => entry.latestVersion ?? entry.version,
    analyzer: (entry) => ref(entry.analyzerName, entry.analyzerVersion),
    campaign: (entry) => (entry.subjectType === 'CAMPAIGN' && entry.subjectId ? { id: entry.subjectId } : null),
    product: (entry) => (entry.subjectType === 'PRODUCT' && entry.subjectId ? { id: entry.subjectId } : null),
    versions: (entry, _args, ctx) => ctx.loaders.versionsByEntry.load(entry.id),
    latestAssessment: (entry, _args, ctx) => (entry.latestAssessmentId ? ctx.loaders.assessment.load(entry.latestAssessmentId) : null),
    assessments: (entry, args, ctx) => ctx.queries.assessments(entry.id, args),
  },
  HistoryEntryVersion: {
    id: entryVersionId,
    analyzer: (version) => ref(version.analyzerName, version.analyzerVersion),
    entry: (version, _args, ctx) => ctx.loaders.entry.load(version.entryId),
  },
  QualityAssessment: {
    __resolveReference: (reference, ctx) => ctx.loaders.assessment.load(reference.id),
    assessor: (assessment) => ref(assessment.assessorName, assessment.assessorVersion),
    entry: (assessment, _args, ctx) => ctx.loaders.entry.load(assessment.entryId),
  },
  Comparison: {
    __resolveReference: (reference, ctx) => ctx.loaders.comparison.load(reference.id),
    left: (comparison) => ({
      entryId: comparison.leftEntryId,
      version: comparison.leftVersion,
      quality: comparison.leftQuality,
      metrics: comparison.leftMetrics,
    }),
    right: (comparison) => ({
      entryId: comparison.rightEntryId,
      version: comparison.rightVersion,
      quality: comparison.rightQuality,
      metrics: comparison.rightMetrics,
    }),
    winnerEntry: (comparison, _args, ctx) => (comparison.winnerEntryId ? ctx.loaders.entry.load(comparison.winnerEntryId) : null),
    analyzer: (comparison) => ref(comparison.analyzerName, comparison.analyzerVersion),
    assessor: (comparison) => ref(comparison.assessorName, comparison.assessorVersion),
  },
  ComparedEntry: {
    entry: (side, _args, ctx) => loadEntryAt(ctx, side.entryId, side.version),
    entryVersion: (side, _args, ctx) => ctx.loaders.version.load({ entryId: side.entryId, version: side.version }),
  },
  ModelAnalytics: {
    id: (analytics) => analytics.model,
    meanQuality: (analytics) => meanOfE4(analytics.scoreSumE4, analytics.assessedEntries),
    p50Quality: (analytics) => quantileOfBuckets(analytics.buckets, 0.5),
    p90Quality: (analytics) => quantileOfBuckets(analytics.buckets, 0.9),
    histogram: (analytics) => analytics.buckets.map((row) => ({ id: `${analytics.model}@${row.bucket / 100}`, from: row.bucket / 100, count: row.count })),
    trend: async (analytics, args, ctx) =>
      (await ctx.queries.trend(analytics.model, args.days)).map((day) => ({ id: `${analytics.model}@${day.day}`, ...day })),
  },
  AnalysisJob: {
    __resolveReference: (reference, ctx) => ctx.loaders.job.load(reference.id),
    progress: (job) => jobProgress(job),
    assessor: (job) => ref(job.assessorName, job.assessorVersion),
  },
  AnalysisProgress: {
    id: (item) => `${item.jobId}@${item.position}`,
    job: (item, _args, ctx) => ctx.loaders.job.load(item.jobId),
  },
  EntryCreated: {
    id: (item) => item.entryId,
    firstVersion: (item) => versionRow(item.entry, item),
  },
  HistoryEvent: {
    id: eventId,
  },
  Campaign: {
    __resolveReference: (reference) => ({ id: reference.id }),
    creatives: (campaign, _args, ctx, info) => entriesOf(ctx, 'CAMPAIGN', campaign.id, info),
    bestCreative: async (campaign, _args, ctx, info) => bestOf(await entriesOf(ctx, 'CAMPAIGN', campaign.id, info)),
  },
  Product: {
    __resolveReference: (reference) => ({ id: reference.id }),
    generatedDescriptions: (product, _args, ctx, info) => entriesOf(ctx, 'PRODUCT', product.id, info),
  },
};
