import type { Decider } from '../../../shared/decider/decider.js';
import { rfc3339InstantMs } from '../../../shared/time/rfc3339-instant.js';
import { HistoryErrorReason, historyInputError } from '../rules/errors.js';
import { validateCount, validateId, validateModel } from '../rules/validate.js';
import type { AnalysisCommand, AnalysisFilter } from './commands.js';
import type { AnalysisEvent } from './events.js';
import type { PluginRef } from '../entry/events.js';

export type AnalysisStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

/** What the analysis job decider remembers of its stream. */
export interface AnalysisState {
  readonly status: 'NEW' | AnalysisStatus;
  readonly jobId: string;
  readonly filter: AnalysisFilter | null;
  readonly total: number;
  readonly asOfPosition: string;
  readonly assessor: PluginRef | null;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  /** Id of the last entry handled at the last checkpoint; entries are processed in id order. */
  readonly cursor: string | null;
  readonly error: string | null;
}

export const initialAnalysisState = (): AnalysisState => ({
  status: 'NEW',
  jobId: '',
  filter: null,
  total: 0,
  asOfPosition: '0',
  assessor: null,
  processed: 0,
  assessed: 0,
  skipped: 0,
  cursor: null,
  error: null,
});

const SUBJECT_TYPES = new Set(['CAMPAIGN', 'PRODUCT']);

function validInstant(value: string | null, field: string): string | null {
  if (value === null) return null;
  const ms = rfc3339InstantMs(value);
  if (Number.isNaN(ms)) throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be an RFC 3339 date-time with an offset or Z`, field);
  return new Date(ms).toISOString();
}

/** Normalises a filter: every key present, strings validated, instants in canonical ISO form. */
export function validateFilter(filter: Partial<AnalysisFilter> | null | undefined): AnalysisFilter {
  const model = filter?.model == null ? null : validateModel(filter.model, 'filter.model');
  const subjectType = filter?.subjectType ?? null;
  if (subjectType !== null && !SUBJECT_TYPES.has(subjectType)) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, 'filter.subjectType must be CAMPAIGN or PRODUCT', 'filter.subjectType');
  }
  const subjectId = filter?.subjectId == null ? null : validateId(filter.subjectId, 'filter.subjectId');
  const createdAfter = validInstant(filter?.createdAfter ?? null, 'filter.createdAfter');
  const createdBefore = validInstant(filter?.createdBefore ?? null, 'filter.createdBefore');
  if (createdAfter !== null && createdBefore !== null && createdAfter > createdBefore) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, 'filter.createdAfter must not be after filter.createdBefore', 'filter.createdAfter');
  }
  return { model, subjectType, subjectId, createdAfter, createdBefore };
}

function running(state: AnalysisState, jobId: string): AnalysisState {
  if (state.status !== 'RUNNING') {
    throw historyInputError(
      HistoryErrorReason.JOB_NOT_RUNNING,
      state.status === 'NEW' ? `analysis job ${jobId} does not exist` : `analysis job ${jobId} is ${state.status.toLowerCase()}`,
      'jobId',
    );
  }
  return state;
}

function checkCounters(state: AnalysisState, counters: { processed: number; assessed: number; skipped: number }, strict: boolean): void {
  const processed = validateCount(counters.processed, 'processed');
  const assessed = validateCount(counters.assessed, 'assessed');
  const skipped = validateCount(counters.skipped, 'skipped');
  if (assessed + skipped !== processed) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, 'processed must equal assessed + skipped', 'processed');
  }
  const advanced = strict ? processed > state.processed : processed >= state.processed;
  if (!advanced || assessed < state.assessed || skipped < state.skipped) {
    throw historyInputError(
      HistoryErrorReason.PROGRESS_NOT_MONOTONIC,
      `analysis job ${state.jobId} already processed ${state.processed} entries; progress must move forward (got ${processed})`,
      'processed',
    );
  }
}

/** Decides analysis job commands: started once, progress only forward, completed or failed once. */
export function decideAnalysis(command: AnalysisCommand, state: AnalysisState): AnalysisEvent[] {
  switch (command.type) {
    case 'StartAnalysis': {
      const jobId = validateId(command.jobId, 'id');
      if (state.status !== 'NEW') throw historyInputError(HistoryErrorReason.JOB_EXISTS, `analysis job ${jobId} already exists`, 'id');
      const filter = validateFilter(command.filter);
      const total = validateCount(command.total, 'total');
      if (!/^\d+$/.test(command.asOfPosition)) {
        throw historyInputError(HistoryErrorReason.INVALID_FIELD, 'asOfPosition must be a decimal position', 'asOfPosition');
      }
      return [
        {
          type: 'AnalysisStarted',
          data: { jobId, filter, total, asOfPosition: command.asOfPosition, assessor: { name: command.assessor.name, version: command.assessor.version } },
        },
      ];
    }
    case 'RecordAnalysisProgress': {
      const current = running(state, command.jobId);
      checkCounters(current, command, true);
      const cursor = validateId(command.cursor, 'cursor');
      return [
        {
          type: 'AnalysisProgressed',
          data: {
            jobId: current.jobId,
            processed: command.processed,
            assessed: command.assessed,
            skipped: command.skipped,
            total: Math.max(current.total, command.processed),
            cursor,
          },
        },
      ];
    }
    case 'CompleteAnalysis': {
      const current = running(state, command.jobId);
      checkCounters(current, command, false);
      const counters = {
        jobId: current.jobId,
        processed: command.processed,
        assessed: command.assessed,
        skipped: command.skipped,
        total: Math.max(current.total, command.processed),
      };
      const events: AnalysisEvent[] = [];
      // The last checkpoint, so that progress always ends at the final count.
      if (command.processed > current.processed) {
        events.push({ type: 'AnalysisProgressed', data: { ...counters, cursor: validateId(command.cursor, 'cursor') } });
      }
      events.push({ type: 'AnalysisCompleted', data: counters });
      return events;
    }
    case 'FailAnalysis': {
      const current = running(state, command.jobId);
      const error = typeof command.error === 'string' && command.error.trim() ? command.error.trim().slice(0, 1000) : 'unknown error';
      return [
        {
          type: 'AnalysisFailed',
          data: { jobId: current.jobId, processed: current.processed, assessed: current.assessed, skipped: current.skipped, total: current.total, error },
        },
      ];
    }
  }
}

/** Folds one analysis job event into the state. */
export function evolveAnalysis(state: AnalysisState, event: AnalysisEvent): AnalysisState {
  switch (event.type) {
    case 'AnalysisStarted':
      return {
        ...state,
        status: 'RUNNING',
        jobId: event.data.jobId,
        filter: event.data.filter,
        total: event.data.total,
        asOfPosition: event.data.asOfPosition,
        assessor: event.data.assessor,
      };
    case 'AnalysisProgressed':
      return {
        ...state,
        processed: event.data.processed,
        assessed: event.data.assessed,
        skipped: event.data.skipped,
        total: event.data.total,
        cursor: event.data.cursor,
      };
    case 'AnalysisCompleted':
      return {
        ...state,
        status: 'COMPLETED',
        processed: event.data.processed,
        assessed: event.data.assessed,
        skipped: event.data.skipped,
        total: event.data.total,
      };
    case 'AnalysisFailed':
      return { ...state, status: 'FAILED', error: event.data.error };
    default:
      return state;
  }
}

/** The decider of stream `analysis-<jobId>`. */
export const analysisDecider: Decider<AnalysisCommand, AnalysisEvent, AnalysisState> = {
  decide: decideAnalysis,
  evolve: evolveAnalysis,
  initialState: initialAnalysisState,
};
