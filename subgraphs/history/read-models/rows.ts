import type { ContentMetrics, MetricDeltas, QualityDimension, SimilarityScore, Winner } from '../analyzers/index.js';
import type { AnalysisFilter, AnalysisStatus, SubjectType } from '../domain/index.js';
import type { AnalysisJobRow, AssessmentRow, ComparisonRow, EntryRow, EntryVersionRow } from '../projections/rows.js';

export type { AnalysisJobRow, AssessmentRow, ComparisonRow, EntryRow, EntryVersionRow };

/**
 * A HistoryEntry as resolvers see it: the current row, or (time travel) the row with the content
 * fields of an older version and `latestVersion` telling the newest one.
 */
export type EntryView = EntryRow & { readonly latestVersion?: number };

/** Per-model analytics as loaded: totals plus the non-empty histogram buckets. */
export interface ModelAnalyticsView {
  readonly model: string;
  readonly entries: number;
  readonly assessedEntries: number;
  readonly assessments: number;
  readonly scoreSumE4: number;
  readonly updatedAt: Date;
  readonly buckets: ReadonlyArray<{ readonly bucket: number; readonly count: number }>;
}

type Json = unknown;
const str = (value: bigint | null): string | null => (value === null ? null : value.toString());

/** Prisma returns bigint for BIGINT columns and JsonValue for JSON; the API wants strings and shapes. */
export function entryFromPrisma(row: {
  id: string; model: string; prompt: string | null; content: string; version: number; streamVersion: number;
  subjectType: string | null; subjectId: string | null; metrics: Json; analyzerName: string; analyzerVersion: string;
  deleted: boolean; deletedAt: Date | null; deleteReason: string | null; deletedPosition: bigint | null; assessmentCount: number;
  latestAssessmentId: string | null; latestScore: number | null; createdPosition: bigint; position: bigint; createdAt: Date; updatedAt: Date;
}): EntryRow {
  return {
    ...row,
    subjectType: row.subjectType as SubjectType | null,
    metrics: row.metrics as ContentMetrics,
    deletedPosition: str(row.deletedPosition),
    createdPosition: row.createdPosition.toString(),
    position: row.position.toString(),
  };
}

export function versionFromPrisma(row: {
  entryId: string; version: number; model: string; prompt: string | null; content: string; metrics: Json;
  analyzerName: string; analyzerVersion: string; position: bigint; createdAt: Date;
}): EntryVersionRow {
  return { ...row, metrics: row.metrics as ContentMetrics, position: row.position.toString() };
}

export function assessmentFromPrisma(row: {
  id: string; entryId: string; entryVersion: number; model: string; score: number; dimensions: Json; assessorName: string;
  assessorVersion: string; jobId: string | null; position: bigint; assessedAt: Date;
}): AssessmentRow {
  return { ...row, dimensions: row.dimensions as QualityDimension[], position: row.position.toString() };
}

export function comparisonFromPrisma(row: {
  id: string; leftEntryId: string; leftVersion: number; leftQuality: number; rightEntryId: string; rightVersion: number;
  rightQuality: number; similarity: number; jaccard: number; editDistanceRatio: number; scores: Json; leftMetrics: Json;
  rightMetrics: Json; metricDeltas: Json; winner: string; winnerEntryId: string | null; analyzerName: string;
  analyzerVersion: string; assessorName: string; assessorVersion: string; position: bigint; comparedAt: Date;
}): ComparisonRow {
  return {
    ...row,
    scores: row.scores as SimilarityScore[],
    leftMetrics: row.leftMetrics as ContentMetrics,
    rightMetrics: row.rightMetrics as ContentMetrics,
    metricDeltas: row.metricDeltas as MetricDeltas,
    winner: row.winner as Winner,
    position: row.position.toString(),
  };
}

export function jobFromPrisma(row: {
  id: string; status: string; filter: Json; total: number; processed: number; assessed: number; skipped: number;
  cursor: string | null; asOfPosition: bigint; assessorName: string; assessorVersion: string; error: string | null;
  version: number; position: bigint; startedAt: Date; updatedAt: Date; finishedAt: Date | null;
}): AnalysisJobRow {
  return {
    ...row,
    status: row.status as AnalysisStatus,
    filter: row.filter as AnalysisFilter,
    asOfPosition: row.asOfPosition.toString(),
    position: row.position.toString(),
  };
}

/** The entry as it was at one of its versions. */
export function entryAtVersion(current: EntryRow, version: EntryVersionRow): EntryView {
  return {
    ...current,
    prompt: version.prompt,
    content: version.content,
    metrics: version.metrics,
    analyzerName: version.analyzerName,
    analyzerVersion: version.analyzerVersion,
    version: version.version,
    updatedAt: version.createdAt,
    latestVersion: current.version,
  };
}
