import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEntryDecider, type EntryCommand, type EntryEvent, type EntryState } from '../../../subgraphs/history/domain/index.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError, ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { checkProperty } from '../../support/properties.js';
import { plugins } from './helpers.js';

const decider = createEntryDecider(plugins.entry);
const ENTRY = 'e1';

/** Texts: mostly prose, sometimes blank (refused as content, a cleared prompt). */
const text = fc.oneof({ weight: 9, arbitrary: fc.lorem({ maxCount: 8 }) }, { weight: 1, arbitrary: fc.constantFrom('', '   ', '\n') });

/** Entry commands for one stream in any order: creating twice, changing before creating or after deleting. */
const command: fc.Arbitrary<EntryCommand> = fc.oneof(
  fc.record({
    type: fc.constant('CreateEntry' as const),
    entryId: fc.constant(ENTRY),
    model: fc.constantFrom('gpt-4o', 'claude', '  '),
    content: text,
    prompt: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('UpdateEntry' as const),
    entryId: fc.constant(ENTRY),
    content: text,
    prompt: fc.option(fc.option(text, { nil: null }), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('DeleteEntry' as const), entryId: fc.constant(ENTRY), reason: fc.option(text, { nil: null }) }),
  fc.record({
    type: fc.constant('AssessQuality' as const),
    entryId: fc.constant(ENTRY),
    assessmentId: fc.uuid(),
    assessor: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('no-such-assessor') }),
  }),
);

interface Run {
  readonly events: EntryEvent[];
  readonly state: EntryState;
  readonly refusals: Array<{ command: EntryCommand; before: EntryState; error: DomainError }>;
}

function run(commands: readonly EntryCommand[]): Run {
  const events: EntryEvent[] = [];
  const refusals: Run['refusals'] = [];
  let state = decider.initialState();
  for (const next of commands) {
    let decided: EntryEvent[];
    try {
      decided = decider.decide(next, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refusals.push({ command: next, before: state, error });
      continue;
    }
    events.push(...decided);
    state = foldEvents(decider, decided, state);
  }
  return { events, state, refusals };
}

const commands = fc.array(command, { maxLength: 30, size: 'max' });

describe('entry decider under random command sequences', () => {
  it('numbers content versions 1, 2, 3… and stamps every assessment and the deletion with the version current then', () => {
    checkProperty(
      fc.property(commands, (list) => {
        let version = 0;
        for (const event of run(list).events) {
          switch (event.type) {
            case 'EntryCreated':
              expect(version).toBe(0);
              version = 1;
              expect(event.data.version).toBe(1);
              break;
            case 'EntryUpdated':
              version += 1;
              expect(event.data.version).toBe(version);
              break;
            case 'EntryDeleted':
              expect(event.data.version).toBe(version);
              break;
            case 'QualityAssessed':
              expect(event.data.entryVersion).toBe(version);
              break;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records nothing before the entry exists nor after it is deleted, and refuses to create it twice', () => {
    checkProperty(
      fc.property(commands, (list) => {
        const { events, refusals } = run(list);
        const created = events.findIndex((event) => event.type === 'EntryCreated');
        const deleted = events.findIndex((event) => event.type === 'EntryDeleted');
        expect(events.filter((event) => event.type === 'EntryCreated').length).toBeLessThanOrEqual(1);
        if (created >= 0) expect(created).toBe(0);
        if (deleted >= 0) expect(deleted).toBe(events.length - 1);
        for (const { command: refused, before, error } of refusals) {
          if (before.status === 'NEW' && refused.type !== 'CreateEntry') expect(error.code).toBe(ErrorCode.NOT_FOUND);
          if (before.status !== 'NEW' && refused.type === 'CreateEntry') expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
          if (before.status === 'DELETED') expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts every assessment, keeps the latest score, and rebuilds the same state from its events', () => {
    checkProperty(
      fc.property(commands, (list) => {
        const { events, state } = run(list);
        const assessments = events.filter((event) => event.type === 'QualityAssessed');
        expect(state.assessments).toBe(assessments.length);
        expect(state.latestScore).toBe(assessments.at(-1)?.data.score ?? null);
        const updates = events.filter((event) => event.type === 'EntryUpdated');
        expect(state.version).toBe(events.some((event) => event.type === 'EntryCreated') ? 1 + updates.length : 0);
        expect(foldEvents(decider, events)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });
});
