import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { PluginRef } from '../entry/events.js';
import type { AnalysisFilter } from './commands.js';

export type AnalysisStarted = DomainEvent<
  'AnalysisStarted',
  {
    readonly jobId: string;
    readonly filter: AnalysisFilter;
    readonly total: number;
    readonly asOfPosition: string;
    readonly assessor: PluginRef;
  }
>;

/** Counters of a job; `processed = assessed + skipped`. */
export interface AnalysisCounters {
  readonly processed: number;
  /** Entries the job assessed. */
  readonly assessed: number;
  /** Entries that could not be assessed any more (deleted meanwhile). */
  readonly skipped: number;
  /** Entries to process; never below `processed`. */
  readonly total: number;
}

export type AnalysisProgressed = DomainEvent<'AnalysisProgressed', AnalysisCounters & { readonly jobId: string; readonly cursor: string }>;

export type AnalysisCompleted = DomainEvent<'AnalysisCompleted', AnalysisCounters & { readonly jobId: string }>;

export type AnalysisFailed = DomainEvent<'AnalysisFailed', AnalysisCounters & { readonly jobId: string; readonly error: string }>;

export type AnalysisEvent = AnalysisStarted | AnalysisProgressed | AnalysisCompleted | AnalysisFailed;
