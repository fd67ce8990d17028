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
