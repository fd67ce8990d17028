import type { AnalysisStatus, SubjectType } from '../domain/index.js';
import type { HistoryContext } from '../context.js';
import { meanOfE4, quantileOfBuckets } from '../projections/analytics.js';
import {
  entryAtVersion,
  type AnalysisJobRow,
  type AssessmentRow,
  type ComparisonRow,
  type EntryRow,
  type EntryVersionRow,
  type EntryView,
  type ModelAnalyticsView,
} from '../read-models/rows.js';
import { versionRow } from '../projections/entry-projection.js';
import { entryVersionId, eventId } from '../read-models/identities.js';

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

/** The live creatives (or descriptions) of a subject. */
const entriesOf = (ctx: HistoryContext, type: SubjectType, id: string) => ctx.loaders.entriesBySubject.load({ type, id });

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
export const entityResolvers = {
  HistoryEntry: {
    __resolveReference: (reference: { id: string }, ctx: HistoryContext) => ctx.loaders.entry.load(reference.id),
    latestVersion: (entry: EntryView) => entry.latestVersion ?? entry.version,
    analyzer: (entry: EntryView) => ref(entry.analyzerName, entry.analyzerVersion),
    campaign: (entry: EntryView) => (entry.subjectType === 'CAMPAIGN' && entry.subjectId ? { id: entry.subjectId } : null),
    product: (entry: EntryView) => (entry.subjectType === 'PRODUCT' && entry.subjectId ? { id: entry.subjectId } : null),
    versions: (entry: EntryView, _args: unknown, ctx: HistoryContext) => ctx.loaders.versionsByEntry.load(entry.id),
    latestAssessment: (entry: EntryView, _args: unknown, ctx: HistoryContext) =>
      entry.latestAssessmentId ? ctx.loaders.assessment.load(entry.latestAssessmentId) : null,
    assessments: (entry: EntryView, args: { first?: number | null; after?: string | null }, ctx: HistoryContext) =>
      ctx.queries.assessments(entry.id, args),
  },
  HistoryEntryVersion: {
    id: entryVersionId,
    analyzer: (version: EntryVersionRow) => ref(version.analyzerName, version.analyzerVersion),
    entry: (version: EntryVersionRow, _args: unknown, ctx: HistoryContext) => ctx.loaders.entry.load(version.entryId),
  },
  QualityAssessment: {
    __resolveReference: (reference: { id: string }, ctx: HistoryContext) => ctx.loaders.assessment.load(reference.id),
    assessor: (assessment: AssessmentRow) => ref(assessment.assessorName, assessment.assessorVersion),
    entry: (assessment: AssessmentRow, _args: unknown, ctx: HistoryContext) => ctx.loaders.entry.load(assessment.entryId),
  },
  Comparison: {
    __resolveReference: (reference: { id: string }, ctx: HistoryContext) => ctx.loaders.comparison.load(reference.id),
    left: (comparison: ComparisonRow) => ({
      entryId: comparison.leftEntryId,
      version: comparison.leftVersion,
      quality: comparison.leftQuality,
      metrics: comparison.leftMetrics,
    }),
    right: (comparison: ComparisonRow) => ({
      entryId: comparison.rightEntryId,
      version: comparison.rightVersion,
      quality: comparison.rightQuality,
      metrics: comparison.rightMetrics,
    }),
    winnerEntry: (comparison: ComparisonRow, _args: unknown, ctx: HistoryContext) =>
      comparison.winnerEntryId ? ctx.loaders.entry.load(comparison.winnerEntryId) : null,
    analyzer: (comparison: ComparisonRow) => ref(comparison.analyzerName, comparison.analyzerVersion),
    assessor: (comparison: ComparisonRow) => ref(comparison.assessorName, comparison.assessorVersion),
  },
  ComparedEntry: {
    entry: (side: { entryId: string; version: number }, _args: unknown, ctx: HistoryContext) => loadEntryAt(ctx, side.entryId, side.version),
    entryVersion: (side: { entryId: string; version: number }, _args: unknown, ctx: HistoryContext) =>
      ctx.loaders.version.load({ entryId: side.entryId, version: side.version }),
  },
  ModelAnalytics: {
    id: (analytics: ModelAnalyticsView) => analytics.model,
    meanQuality: (analytics: ModelAnalyticsView) => meanOfE4(analytics.scoreSumE4, analytics.assessedEntries),
    p50Quality: (analytics: ModelAnalyticsView) => quantileOfBuckets(analytics.buckets, 0.5),
    p90Quality: (analytics: ModelAnalyticsView) => quantileOfBuckets(analytics.buckets, 0.9),
    histogram: (analytics: ModelAnalyticsView) =>
      analytics.buckets.map((row) => ({ id: `${analytics.model}@${row.bucket / 100}`, from: row.bucket / 100, count: row.count })),
    trend: async (analytics: ModelAnalyticsView, args: { days?: number | null }, ctx: HistoryContext) =>
      (await ctx.queries.trend(analytics.model, args.days)).map((day) => ({ id: `${analytics.model}@${day.day}`, ...day })),
  },
  AnalysisJob: {
    __resolveReference: (reference: { id: string }, ctx: HistoryContext) => ctx.loaders.job.load(reference.id),
    progress: (job: AnalysisJobRow) => jobProgress(job),
    assessor: (job: AnalysisJobRow) => ref(job.assessorName, job.assessorVersion),
  },
  AnalysisProgress: {
    id: (item: { jobId: string; position: string }) => `${item.jobId}@${item.position}`,
    job: (item: { jobId: string }, _args: unknown, ctx: HistoryContext) => ctx.loaders.job.load(item.jobId),
  },
  EntryCreated: {
    id: (item: { entryId: string }) => item.entryId,
    firstVersion: (item: { entry: EntryRow; position: string; occurredAt: Date }) => versionRow(item.entry, item),
  },
  HistoryEvent: {
    id: eventId,
  },
  Campaign: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    creatives: (campaign: { id: string }, _args: unknown, ctx: HistoryContext) => entriesOf(ctx, 'CAMPAIGN', campaign.id),
    bestCreative: async (campaign: { id: string }, _args: unknown, ctx: HistoryContext) => bestOf(await entriesOf(ctx, 'CAMPAIGN', campaign.id)),
  },
  Product: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    generatedDescriptions: (product: { id: string }, _args: unknown, ctx: HistoryContext) => entriesOf(ctx, 'PRODUCT', product.id),
  },
};
