import { describe, expect, it } from 'vitest';
import { computeBasicMetrics, heuristicAssessor, type QualityAssessor } from '../../../subgraphs/history/analyzers/index.js';
import { MAX_CONTENT_BYTES, createEntryDecider, type EntryCommand, type EntryEvent, type EntryState } from '../../../subgraphs/history/domain/index.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { expectRejection, plugins } from './helpers.js';

const decider = createEntryDecider(plugins.entry);
const TEXT = 'The blender is quiet and powerful. Smoothies come out silky in seconds.';
const create = (overrides: Partial<Extract<EntryCommand, { type: 'CreateEntry' }>> = {}): EntryCommand => ({
  type: 'CreateEntry',
  entryId: 'e1',
  model: 'gpt-4o',
  prompt: 'Describe the blender',
  content: TEXT,
  ...overrides,
});

/** Decides `commands` in order from an empty stream, returning every event and the final state. */
function run(...commands: EntryCommand[]): { events: EntryEvent[]; state: EntryState } {
  const events: EntryEvent[] = [];
  let state = decider.initialState();
  for (const command of commands) {
    const next = decider.decide(command, state);
    events.push(...next);
    state = foldEvents(decider, next, state);
  }
  return { events, state };
}

describe('entry decider: creation', () => {
  it('records version 1 with the metrics the configured analyzer computed at decide time', () => {
    const { events, state } = run(create({ model: '  gpt-4o  ', subject: { type: 'CAMPAIGN', id: 'c1' } }));
    expect(events).toEqual([
      {
        type: 'EntryCreated',
        data: {
          entryId: 'e1',
          version: 1,
          model: 'gpt-4o',
          prompt: 'Describe the blender',
          content: TEXT,
          subject: { type: 'CAMPAIGN', id: 'c1' },
          metrics: computeBasicMetrics(TEXT),
          analyzer: { name: 'basic-metrics', version: '1.0.0' },
        },
      },
    ]);
    expect(state).toMatchObject({ status: 'ACTIVE', version: 1, model: 'gpt-4o', content: TEXT });
  });

  it('keeps the content exactly as given and turns a blank prompt into null', () => {
    const content = '  Leading and trailing space stay.\n';
    const [event] = decider.decide(create({ content, prompt: '   ' }), decider.initialState());
    expect(event!.data).toMatchObject({ content, prompt: null, subject: null });
  });

  it('refuses empty or whitespace-only content with CONTENT_EMPTY', () => {
    for (const content of ['', '   ', '\n\t ']) {
      expectRejection(() => run(create({ content })), 'BAD_USER_INPUT', { reason: 'CONTENT_EMPTY', field: 'content' });
    }
  });

  it('accepts exactly 100 KB of content and refuses one byte more with CONTENT_TOO_LARGE', () => {
    const limit = 'a'.repeat(MAX_CONTENT_BYTES);
    expect(run(create({ content: limit })).state.version).toBe(1);
    expectRejection(() => run(create({ content: `${limit}b` })), 'BAD_USER_INPUT', { reason: 'CONTENT_TOO_LARGE', field: 'content' });
    // Bytes, not characters: 34,134 three-byte characters exceed 100 KB.
    expectRejection(() => run(create({ content: '€'.repeat(34_134) })), 'BAD_USER_INPUT', { reason: 'CONTENT_TOO_LARGE' });
  });

  it('validates model, id and subject', () => {
    expectRejection(() => run(create({ model: ' ' })), 'BAD_USER_INPUT', { field: 'model', reason: 'INVALID_FIELD' });
    expectRejection(() => run(create({ model: 'x'.repeat(101) })), 'BAD_USER_INPUT', { field: 'model' });
    expectRejection(() => run(create({ entryId: ' e1' })), 'BAD_USER_INPUT', { field: 'id' });
    expectRejection(() => run(create({ subject: { type: 'STORE' as 'PRODUCT', id: 's1' } })), 'BAD_USER_INPUT', { field: 'subject.type' });
    expectRejection(() => run(create({ subject: { type: 'PRODUCT', id: '' } })), 'BAD_USER_INPUT', { field: 'subject.id' });
  });

  it('refuses to create an entry twice', () => {
    expectRejection(() => run(create(), create()), 'BAD_USER_INPUT', { reason: 'ENTRY_EXISTS' });
  });
});

describe('entry decider: versions', () => {
  it('numbers versions 2, 3, … and recomputes the metrics of each', () => {
    const second = 'Shorter text now.';
    const { events, state } = run(
      create(),
      { type: 'UpdateEntry', entryId: 'e1', content: second },
      { type: 'UpdateEntry', entryId: 'e1', content: 'Third version.', prompt: null },
    );
    expect(events.map((event) => [event.type, (event.data as { version: number }).version])).toEqual([
      ['EntryCreated', 1],
      ['EntryUpdated', 2],
      ['EntryUpdated', 3],
    ]);
    expect(events[1]!.data).toMatchObject({ content: second, prompt: 'Describe the blender', metrics: computeBasicMetrics(second) });
    expect(events[2]!.data).toMatchObject({ prompt: null });
    expect(state).toMatchObject({ version: 3, content: 'Third version.', prompt: null });
  });

  it('refuses updates of unknown or deleted entries and bad content', () => {
    expectRejection(() => run({ type: 'UpdateEntry', entryId: 'nope', content: 'x' }), 'NOT_FOUND', { id: 'nope' });
    expectRejection(() => run(create(), { type: 'DeleteEntry', entryId: 'e1' }, { type: 'UpdateEntry', entryId: 'e1', content: 'x' }), 'BAD_USER_INPUT', {
      reason: 'ENTRY_DELETED',
    });
    expectRejection(() => run(create(), { type: 'UpdateEntry', entryId: 'e1', content: ' ' }), 'BAD_USER_INPUT', { reason: 'CONTENT_EMPTY' });
  });
});

describe('entry decider: soft delete', () => {
  it('records the deletion at the current version with its reason, once', () => {
    const { events, state } = run(create(), { type: 'DeleteEntry', entryId: 'e1', reason: '  duplicate  ' });
    expect(events[1]).toEqual({ type: 'EntryDeleted', data: { entryId: 'e1', model: 'gpt-4o', version: 1, reason: 'duplicate' } });
    expect(state.status).toBe('DELETED');
    expect(state.content).toBe(TEXT);
    expectRejection(() => run(create(), { type: 'DeleteEntry', entryId: 'e1' }, { type: 'DeleteEntry', entryId: 'e1' }), 'BAD_USER_INPUT', {
      reason: 'ENTRY_DELETED',
    });
    expectRejection(() => run({ type: 'DeleteEntry', entryId: 'e1' }), 'NOT_FOUND');
  });
});

describe('entry decider: assessment', () => {
  it('scores the current version with the configured assessor and records its name and version', () => {
    const { events, state } = run(create(), { type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1', jobId: 'job1' });
    const expected = heuristicAssessor.assess({ content: TEXT, prompt: 'Describe the blender', metrics: computeBasicMetrics(TEXT) });
    expect(events[1]).toEqual({
      type: 'QualityAssessed',
      data: {
        assessmentId: 'a1',
        entryId: 'e1',
        entryVersion: 1,
        model: 'gpt-4o',
        score: expected.score,
        dimensions: expected.dimensions,
        assessor: { name: 'heuristic', version: '1.0.0' },
        jobId: 'job1',
      },
    });
    expect(expected.score).toBeGreaterThan(0);
    expect(expected.score).toBeLessThanOrEqual(1);
    expect(state).toMatchObject({ assessments: 1, latestScore: expected.score });
  });

  it('assesses the latest version after an update', () => {
    const { events } = run(create(), { type: 'UpdateEntry', entryId: 'e1', content: 'Bad.' }, { type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1' });
    expect(events[2]!.data).toMatchObject({ entryVersion: 2, jobId: null });
  });

  it('runs a named assessor, and refuses an unknown one with UNKNOWN_ASSESSOR', () => {
    const strict: QualityAssessor = { name: 'strict', version: '2.0.0', assess: () => ({ score: 0.25, dimensions: [{ name: 'all', score: 0.25 }] }) };
    const withStrict = createEntryDecider({ ...plugins.entry, assessor: (name) => (name === 'strict' ? strict : plugins.entry.assessor(name)) });
    const created = withStrict.decide(create(), withStrict.initialState());
    const state = foldEvents(withStrict, created);
    const [assessed] = withStrict.decide({ type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1', assessor: 'strict' }, state);
    expect(assessed!.data).toMatchObject({ score: 0.25, assessor: { name: 'strict', version: '2.0.0' } });
    expectRejection(() => withStrict.decide({ type: 'AssessQuality', entryId: 'e1', assessmentId: 'a2', assessor: 'nope' }, state), 'BAD_USER_INPUT', {
      reason: 'UNKNOWN_ASSESSOR',
      field: 'assessor',
    });
  });

  it('refuses to record a score outside 0..1 from a faulty plugin', () => {
    const faulty: QualityAssessor = { name: 'faulty', version: '0', assess: () => ({ score: 1.5, dimensions: [] }) };
    const broken = createEntryDecider({ ...plugins.entry, assessor: () => faulty });
    const state = foldEvents(broken, broken.decide(create(), broken.initialState()));
    expect(() => broken.decide({ type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1' }, state)).toThrow(/outside 0..1/);
  });

  it('refuses to assess unknown or deleted entries', () => {
    expectRejection(() => run({ type: 'AssessQuality', entryId: 'e9', assessmentId: 'a1' }), 'NOT_FOUND');
    expectRejection(
      () => run(create(), { type: 'DeleteEntry', entryId: 'e1' }, { type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1' }),
      'BAD_USER_INPUT',
      { reason: 'ENTRY_DELETED' },
    );
  });

  it('is deterministic: the same commands give the same events', () => {
    const commands: EntryCommand[] = [
      create(),
      { type: 'UpdateEntry', entryId: 'e1', content: 'Great!' },
      { type: 'AssessQuality', entryId: 'e1', assessmentId: 'a' },
    ];
    expect(run(...commands).events).toEqual(run(...commands).events);
  });
});
