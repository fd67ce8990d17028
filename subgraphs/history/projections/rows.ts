import type { ContentComparison, ContentMetrics, QualityDimension, Winner } from '../analyzers/index.js';
import type { AnalysisFilter, AnalysisStatus, SubjectType } from '../domain/index.js';

/** A `history_entries` row: the entry at its current content version. Positions are decimal strings. */
export interface EntryRow {
  readonly id: string;
  readonly model: string;
  readonly prompt: string | null;
  readonly content: string;
  readonly version: number;
  readonly streamVersion: number;
  readonly subjectType: SubjectType | null;
  readonly subjectId: string | null;
  readonly metrics: ContentMetrics;
  readonly analyzerName: string;
  readonly analyzerVersion: string;
  readonly deleted: boolean;
  readonly deletedAt: Date | null;
  readonly deleteReason: string | null;
  readonly deletedPosition: string | null;
  readonly assessmentCount: number;
  readonly latestAssessmentId: string | null;
  readonly latestScore: number | null;
  readonly createdPosition: string;
  readonly position: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A `history_entry_versions` row: one content version, never changed once written. */
export interface EntryVersionRow {
  readonly entryId: string;
  readonly version: number;
  readonly model: string;
  readonly prompt: string | null;
  readonly content: string;
  readonly metrics: ContentMetrics;
  readonly analyzerName: string;
  readonly analyzerVersion: string;
  readonly position: string;
  readonly createdAt: Date;
}

/** A `history_assessments` row: one QualityAssessed event. */
export interface AssessmentRow {
  readonly id: string;
  readonly entryId: string;
  readonly entryVersion: number;
  readonly model: string;
  readonly score: number;
  readonly dimensions: readonly QualityDimension[];
  readonly assessorName: string;
  readonly assessorVersion: string;
  readonly jobId: string | null;
  readonly position: string;
  readonly assessedAt: Date;
}

/** A `history_comparisons` row (the similarity and metric columns are a ContentComparison). */
export interface ComparisonRow extends ContentComparison {
  readonly id: string;
  readonly leftEntryId: string;
  readonly leftVersion: number;
  readonly leftQuality: number;
  readonly rightEntryId: string;
  readonly rightVersion: number;
  readonly rightQuality: number;
  readonly winner: Winner;
  readonly winnerEntryId: string | null;
  readonly analyzerName: string;
  readonly analyzerVersion: string;
  readonly assessorName: string;
  readonly assessorVersion: string;
  readonly position: string;
  readonly comparedAt: Date;
}

/** A `history_analysis_jobs` row. */
export interface AnalysisJobRow {
  readonly id: string;
  readonly status: AnalysisStatus;
  readonly filter: AnalysisFilter;
  readonly total: number;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  readonly cursor: string | null;
  readonly asOfPosition: string;
  readonly assessorName: string;
  readonly assessorVersion: string;
  readonly error: string | null;
  readonly version: number;
  readonly position: string;
  readonly startedAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}
