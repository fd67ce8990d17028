import type { SubjectType } from '../entry/commands.js';
import type { PluginRef } from '../entry/events.js';

/** Which entries an analysis job assesses; every criterion is optional (null = any). */
export interface AnalysisFilter {
  readonly model: string | null;
  readonly subjectType: SubjectType | null;
  readonly subjectId: string | null;
  /** ISO instants bounding the entries' creation time (inclusive). */
  readonly createdAfter: string | null;
  readonly createdBefore: string | null;
}

/** Starts a job over the entries matching `filter` that existed at global position `asOfPosition`. */
export interface StartAnalysis {
  readonly type: 'StartAnalysis';
  readonly jobId: string;
  readonly filter: AnalysisFilter;
  /** Matching entries when the job started. */
  readonly total: number;
  /** Global log position the entry set was counted at (decimal string). */
  readonly asOfPosition: string;
  readonly assessor: PluginRef;
}

/** Checkpoint: `processed` entries handled, the last one being `cursor` (entries go by id). */
export interface RecordAnalysisProgress {
  readonly type: 'RecordAnalysisProgress';
  readonly jobId: string;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  readonly cursor: string;
}

/** Every matching entry was handled. */
export interface CompleteAnalysis {
  readonly type: 'CompleteAnalysis';
  readonly jobId: string;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  readonly cursor: string | null;
}

/** The job cannot go on (e.g. its assessor is no longer registered). */
export interface FailAnalysis {
  readonly type: 'FailAnalysis';
  readonly jobId: string;
  readonly error: string;
}

export type AnalysisCommand = StartAnalysis | RecordAnalysisProgress | CompleteAnalysis | FailAnalysis;
