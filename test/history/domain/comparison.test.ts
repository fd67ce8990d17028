import { describe, expect, it } from 'vitest';
import { compareContents, heuristicAssessor, pickWinner } from '../../../subgraphs/history/analyzers/index.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { createComparisonDecider, type ComparedSide } from '../../../subgraphs/history/domain/index.js';
import { expectRejection, plugins } from './helpers.js';

const decider = createComparisonDecider(plugins.comparison);
const side = (entryId: string, content: string, overrides: Partial<ComparedSide> = {}): ComparedSide => ({
  entryId,
  version: 1,
  model: 'gpt-4o',
  prompt: 'Describe the lamp',
  content,
  deleted: false,
  ...overrides,
});
const LEFT = 'The lamp is bright and elegant. It lights the whole room with a warm glow.';
const RIGHT = 'Lamp. Bad.';

describe('comparison decider', () => {
  it('records every measure of compareContents and the winner by the assessor', () => {
    const [event] = decider.decide({ type: 'CompareEntries', comparisonId: 'c1', left: side('a', LEFT), right: side('b', RIGHT) }, decider.initialState());
    const measures = compareContents(LEFT, RIGHT);
    const leftQuality = heuristicAssessor.assess({ content: LEFT, prompt: 'Describe the lamp', metrics: measures.leftMetrics }).score;
    const rightQuality = heuristicAssessor.assess({ content: RIGHT, prompt: 'Describe the lamp', metrics: measures.rightMetrics }).score;
    expect(event).toEqual({
      type: 'ComparisonRecorded',
      data: {
        comparisonId: 'c1',
        left: { entryId: 'a', version: 1, model: 'gpt-4o', quality: leftQuality },
        right: { entryId: 'b', version: 1, model: 'gpt-4o', quality: rightQuality },
        similarity: measures.similarity,
        jaccard: measures.jaccard,
        editDistanceRatio: measures.editDistanceRatio,
        scores: measures.scores,
        leftMetrics: measures.leftMetrics,
        rightMetrics: measures.rightMetrics,
        metricDeltas: measures.metricDeltas,
        winner: pickWinner(leftQuality, rightQuality),
        winnerEntryId: 'a',
        analyzer: { name: 'basic-metrics', version: '1.0.0' },
        assessor: { name: 'heuristic', version: '1.0.0' },
      },
    });
    expect(leftQuality).toBeGreaterThan(rightQuality);
  });

  it('gives identical texts similarity 1, edit-distance ratio 1, zero deltas and a tie', () => {
    const [event] = decider.decide({ type: 'CompareEntries', comparisonId: 'c2', left: side('a', LEFT), right: side('b', LEFT) }, decider.initialState());
    expect(event!.data).toMatchObject({ similarity: 1, jaccard: 1, editDistanceRatio: 1, winner: 'TIE', winnerEntryId: null });
    expect(Object.values(event!.data.metricDeltas).every((delta) => delta === 0)).toBe(true);
  });

  it('compares two versions of one entry, but never a version with itself', () => {
    const [event] = decider.decide(
      { type: 'CompareEntries', comparisonId: 'c3', left: side('a', LEFT), right: side('a', RIGHT, { version: 2 }) },
      decider.initialState(),
    );
    expect(event!.data.right).toMatchObject({ entryId: 'a', version: 2 });
    expectRejection(
      () => decider.decide({ type: 'CompareEntries', comparisonId: 'c4', left: side('a', LEFT), right: side('a', LEFT) }, decider.initialState()),
      'BAD_USER_INPUT',
      { reason: 'SELF_COMPARISON', field: 'rightId' },
    );
  });

  it('refuses deleted entries on either side, naming the side', () => {
    expectRejection(
      () =>
        decider.decide(
          { type: 'CompareEntries', comparisonId: 'c5', left: side('a', LEFT, { deleted: true }), right: side('b', RIGHT) },
          decider.initialState(),
        ),
      'BAD_USER_INPUT',
      { reason: 'ENTRY_DELETED', field: 'leftId' },
    );
    expectRejection(
      () =>
        decider.decide(
          { type: 'CompareEntries', comparisonId: 'c5', left: side('a', LEFT), right: side('b', RIGHT, { deleted: true }) },
          decider.initialState(),
        ),
      'BAD_USER_INPUT',
      { reason: 'ENTRY_DELETED', field: 'rightId' },
    );
  });

  it('records a comparison id once', () => {
    const command = { type: 'CompareEntries' as const, comparisonId: 'c6', left: side('a', LEFT), right: side('b', RIGHT) };
    const events = decider.decide(command, decider.initialState());
    const state = foldEvents(decider, events);
    expectRejection(() => decider.decide(command, state), 'BAD_USER_INPUT', { reason: 'COMPARISON_EXISTS' });
  });

  it('uses the configured primary similarity', () => {
    const jaccardFirst = createComparisonDecider({ ...plugins.comparison, similarity: [...plugins.comparison.similarity].reverse() });
    const [event] = jaccardFirst.decide({ type: 'CompareEntries', comparisonId: 'c7', left: side('a', LEFT), right: side('b', RIGHT) }, decider.initialState());
    expect(event!.data.scores.map((score) => score.name)).toEqual(['edit-distance', 'jaccard', 'tfidf-cosine']);
    expect(event!.data.similarity).toBe(event!.data.editDistanceRatio);
  });
});
