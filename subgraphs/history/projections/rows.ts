import type { Row } from '../../shared/database/kysely/database.js';

/** A `history_entries` row: the entry at its current content version. Positions are decimal strings. */
export type EntryRow = Row<'historyEntries'>;

/** A `history_entry_versions` row: one content version, never changed once written. */
export type EntryVersionRow = Row<'historyEntryVersions'>;

/** A `history_assessments` row: one QualityAssessed event. */
export type AssessmentRow = Row<'historyAssessments'>;

/** A `history_comparisons` row (the similarity and metric columns are a ContentComparison). */
export type ComparisonRow = Row<'historyComparisons'>;

/** A `history_analysis_jobs` row. */
export type AnalysisJobRow = Row<'historyAnalysisJobs'>;
