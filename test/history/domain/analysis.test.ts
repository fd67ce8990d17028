import { describe, expect, it } from 'vitest';
import { analysisDecider, validateFilter, type AnalysisCommand, type AnalysisEvent, type AnalysisState } from '../../../subgraphs/history/domain/index.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { expectRejection } from './helpers.js';

const start: AnalysisCommand = {
  type: 'StartAnalysis',
  jobId: 'j1',
  filter: validateFilter({ model: 'gpt-4o' }),
  total: 60,
  asOfPosition: '42',
  assessor: { name: 'heuristic', version: '1.0.0' },
};
const progress = (processed: number, skipped = 0, cursor = `e${processed}`): AnalysisCommand => ({
  type: 'RecordAnalysisProgress',
  jobId: 'j1',
  processed,
  assessed: processed - skipped,
  skipped,
  cursor,
});

function run(...commands: AnalysisCommand[]): { events: AnalysisEvent[]; state: AnalysisState } {
  const events: AnalysisEvent[] = [];
  let state = analysisDecider.initialState();
  for (const command of commands) {
    const next = analysisDecider.decide(command, state);
    events.push(...next);
    state = foldEvents(analysisDecider, next, state);
  }
  return { events, state };
}

describe('analysis job decider', () => {
  it('starts with a normalised filter, the counted total and the assessor', () => {
    const { events, state } = run(start);
    expect(events).toEqual([
      {
        type: 'AnalysisStarted',
        data: {
          jobId: 'j1',
          filter: { model: 'gpt-4o', subjectType: null, subjectId: null, createdAfter: null, createdBefore: null },
          total: 60,
          asOfPosition: '42',
          assessor: { name: 'heuristic', version: '1.0.0' },
        },
      },
    ]);
    expect(state).toMatchObject({ status: 'RUNNING', processed: 0, cursor: null });
    expectRejection(() => run(start, start), 'BAD_USER_INPUT', { reason: 'JOB_EXISTS' });
  });

  it('records checkpoints that only move forward', () => {
    const { events, state } = run(start, progress(25), progress(50, 2));
    expect(events.slice(1).map((event) => event.data)).toEqual([
      { jobId: 'j1', processed: 25, assessed: 25, skipped: 0, total: 60, cursor: 'e25' },
      { jobId: 'j1', processed: 50, assessed: 48, skipped: 2, total: 60, cursor: 'e50' },
    ]);
    expect(state).toMatchObject({ processed: 50, assessed: 48, skipped: 2, cursor: 'e50' });
    expectRejection(() => run(start, progress(25), progress(25)), 'BAD_USER_INPUT', { reason: 'PROGRESS_NOT_MONOTONIC' });
    expectRejection(() => run(start, progress(25), progress(20)), 'BAD_USER_INPUT', { reason: 'PROGRESS_NOT_MONOTONIC' });
    expectRejection(() => run(start, progress(25, 5), progress(30, 0)), 'BAD_USER_INPUT', { reason: 'PROGRESS_NOT_MONOTONIC' });
    expectRejection(() => run(start, { ...progress(10), assessed: 3 } as AnalysisCommand), 'BAD_USER_INPUT', { field: 'processed' });
  });

  it('completes with a last checkpoint at the final count', () => {
    const { events, state } = run(start, progress(50), { type: 'CompleteAnalysis', jobId: 'j1', processed: 60, assessed: 60, skipped: 0, cursor: 'e60' });
    expect(events.slice(2)).toEqual([
      { type: 'AnalysisProgressed', data: { jobId: 'j1', processed: 60, assessed: 60, skipped: 0, total: 60, cursor: 'e60' } },
      { type: 'AnalysisCompleted', data: { jobId: 'j1', processed: 60, assessed: 60, skipped: 0, total: 60 } },
    ]);
    expect(state.status).toBe('COMPLETED');
  });

  it('completes without a new checkpoint when the last one was final, and an empty job at once', () => {
    const atEnd = run(start, progress(60), { type: 'CompleteAnalysis', jobId: 'j1', processed: 60, assessed: 60, skipped: 0, cursor: 'e60' });
    expect(atEnd.events.slice(2).map((event) => event.type)).toEqual(['AnalysisCompleted']);
    const empty = run({ ...start, total: 0 }, { type: 'CompleteAnalysis', jobId: 'j1', processed: 0, assessed: 0, skipped: 0, cursor: null });
    expect(empty.events.map((event) => event.type)).toEqual(['AnalysisStarted', 'AnalysisCompleted']);
  });

  it('never reports a total below what was processed', () => {
    const { events } = run({ ...start, total: 1 }, progress(3));
    expect(events[1]!.data).toMatchObject({ processed: 3, total: 3 });
  });

  it('refuses progress after the end, and on a job that never started', () => {
    const done: AnalysisCommand = { type: 'CompleteAnalysis', jobId: 'j1', processed: 0, assessed: 0, skipped: 0, cursor: null };
    expectRejection(() => run(start, done, progress(5)), 'BAD_USER_INPUT', { reason: 'JOB_NOT_RUNNING' });
    expectRejection(() => run(progress(5)), 'BAD_USER_INPUT', { reason: 'JOB_NOT_RUNNING' });
    expectRejection(() => run(start, { type: 'FailAnalysis', jobId: 'j1', error: 'x' }, done), 'BAD_USER_INPUT', { reason: 'JOB_NOT_RUNNING' });
  });

  it('fails with the counters reached so far', () => {
    const { events, state } = run(start, progress(25), { type: 'FailAnalysis', jobId: 'j1', error: '  assessor gone  ' });
    expect(events[2]).toEqual({ type: 'AnalysisFailed', data: { jobId: 'j1', processed: 25, assessed: 25, skipped: 0, total: 60, error: 'assessor gone' } });
    expect(state).toMatchObject({ status: 'FAILED', error: 'assessor gone' });
  });

  it('validates filters', () => {
    expect(validateFilter({ createdAfter: '2026-01-01T00:00:00Z' })).toMatchObject({ createdAfter: '2026-01-01T00:00:00.000Z' });
    expectRejection(() => validateFilter({ subjectType: 'STORE' as 'PRODUCT' }), 'BAD_USER_INPUT', { field: 'filter.subjectType' });
    expectRejection(() => validateFilter({ createdAfter: 'yesterday' }), 'BAD_USER_INPUT', { field: 'filter.createdAfter' });
    expectRejection(() => validateFilter({ createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' }), 'BAD_USER_INPUT', {
      field: 'filter.createdAfter',
    });
  });
});
