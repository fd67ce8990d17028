import { describe, expect, it } from 'vitest';
import {
  compareContents,
  computeBasicMetrics,
  defaultRegistry,
  heuristicAssessor,
  metricDeltas,
  pickWinner,
  selectAnalyzers,
} from '../../../subgraphs/history/analyzers/index.js';
import type { SimilarityCalculator } from '../../../subgraphs/history/analyzers/index.js';
import { proseOfLength } from './fixtures.js';

const LEFT = 'The cat sat.';
const RIGHT = 'The cat sat on the mat.';

describe('content comparison', () => {
  it('reports hand-checked similarities and metric deltas', () => {
    // TF-IDF: left {the 1, cat 1, sat 1}, right {the 2, cat 1, sat 1, on 1, mat 1}
    //   shared terms idf 1, on/mat idf u = 1 + ln 1.5 = 1.405465
    //   dot = 1·2 + 1 + 1 = 4; |left|² = 3; |right|² = 4 + 1 + 1 + 2u² = 9.950664
    //   cosine = 4 / √(3 · 9.950664) = 4 / 5.463697 = 0.732105 → 0.7321
    // Jaccard: {the, cat, sat} / {the, cat, sat, on, mat} = 3/5 = 0.6
    // edit distance: insert " on the mat" = 11 of max(12, 23) → 1 − 11/23 = 0.521739 → 0.5217
    // metrics: left words 3, avg length 3, diversity 1, Flesch 206.835 − 3.045 − 84.6 = 119.19
    //          right words 6, avg length 17/6 = 2.8333, diversity 5/6 = 0.8333,
    //          Flesch 206.835 − 1.015·6 − 84.6·1 = 116.145
    const comparison = compareContents(LEFT, RIGHT);
    expect(comparison.similarity).toBe(0.7321);
    expect(comparison.jaccard).toBe(0.6);
    expect(comparison.editDistanceRatio).toBe(0.5217);
    expect(comparison.scores).toEqual([
      { name: 'tfidf-cosine', version: '1.0.0', value: 0.7321 },
      { name: 'jaccard', version: '1.0.0', value: 0.6 },
      { name: 'edit-distance', version: '1.1.0', value: 0.5217 },
    ]);
    expect(comparison.leftMetrics).toEqual(computeBasicMetrics(LEFT));
    expect(comparison.rightMetrics).toEqual(computeBasicMetrics(RIGHT));
    expect(comparison.metricDeltas).toEqual({
      words: 3,
      sentences: 0,
      averageWordLength: -0.1667, // 2.8333 − 3
      averageSentenceLength: 3, // 6 − 3
      lexicalDiversity: -0.1667, // 0.8333 − 1
      readability: -3.045, // 116.145 − 119.19
      sentiment: 0,
    });
  });

  it('gives identical texts similarity 1 and zero deltas', () => {
    const comparison = compareContents(RIGHT, RIGHT);
    expect([comparison.similarity, comparison.jaccard, comparison.editDistanceRatio]).toEqual([1, 1, 1]);
    expect(Object.values(comparison.metricDeltas).every((delta) => delta === 0)).toBe(true);
  });

  it('compares empty text without NaN', () => {
    const comparison = compareContents('', 'Hello');
    expect([comparison.similarity, comparison.jaccard, comparison.editDistanceRatio]).toEqual([0, 0, 0]);
    // "Hello" − empty: words 1, sentences 1, length 5, avg sentence 1, diversity 1, Flesch 36.62
    expect(comparison.metricDeltas).toEqual({
      words: 1,
      sentences: 1,
      averageWordLength: 5,
      averageSentenceLength: 1,
      lexicalDiversity: 1,
      readability: 36.62,
      sentiment: 0,
    });
  });

  it('uses the first selected calculator as the primary similarity', () => {
    const comparison = compareContents(LEFT, RIGHT, selectAnalyzers({ similarity: ['jaccard'] }));
    expect(comparison.similarity).toBe(0.6);
    expect(comparison.scores).toEqual([{ name: 'jaccard', version: '1.0.0', value: 0.6 }]);
    // the Jaccard and edit-distance fields are always reported
    expect(comparison.editDistanceRatio).toBe(0.5217);
  });

  it('works with a plugin registered from outside', () => {
    const lengthRatio: SimilarityCalculator = {
      name: 'length-ratio',
      version: '1.0.0',
      compare: (a, b) => Math.min(a.length, b.length) / Math.max(a.length, b.length, 1),
    };
    const registry = defaultRegistry().register('similarity', lengthRatio);
    const selection = selectAnalyzers({ similarity: ['length-ratio', 'tfidf-cosine'] }, registry);
    const comparison = compareContents(LEFT, RIGHT, selection);
    expect(comparison.similarity).toBe(0.5217); // 12 / 23 = 0.521739
    expect(comparison.scores.map((s) => s.name)).toEqual(['length-ratio', 'tfidf-cosine']);
  });

  it('rejects a selection without similarity calculators', () => {
    const analyzer = selectAnalyzers().analyzer;
    expect(() => compareContents(LEFT, RIGHT, { analyzer, similarity: [] })).toThrow(/similarity/);
  });

  it('computes deltas as right minus left', () => {
    const left = computeBasicMetrics('Good.');
    const right = computeBasicMetrics('Bad day. Bad night.');
    const deltas = metricDeltas(left, right);
    expect(deltas.words).toBe(3); // 4 − 1
    expect(deltas.sentences).toBe(1); // 2 − 1
    expect(deltas.sentiment).toBe(-2); // −1 − 1
    expect(metricDeltas(right, left).words).toBe(-3);
  });

  it('compares two 10 KB texts', () => {
    const left = proseOfLength(10 * 1024, 21);
    const right = proseOfLength(10 * 1024, 22);
    const comparison = compareContents(left, right);
    for (const value of [comparison.similarity, comparison.jaccard, comparison.editDistanceRatio]) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
    }
    // both are drawn from the same 24-word vocabulary, so (almost) every word is shared
    expect(comparison.jaccard).toBeGreaterThan(0.9);
    expect(comparison.leftMetrics.words).toBeGreaterThan(1500);
  });

  it('is deterministic across calls and registries', () => {
    const left = proseOfLength(2000, 31);
    const right = proseOfLength(1500, 32);
    const first = compareContents(left, right);
    const second = compareContents(left, right, selectAnalyzers({}, defaultRegistry()));
    expect(second).toEqual(first);
    const assess = () => heuristicAssessor.assess({ content: left, prompt: 'fox', metrics: first.leftMetrics });
    expect(assess()).toEqual(assess());
  });
});

describe('winner by quality score', () => {
  it('picks the higher score', () => {
    expect(pickWinner(0.8, 0.6)).toBe('LEFT');
    expect(pickWinner(0.6, 0.8)).toBe('RIGHT');
  });

  it('ties on equal scores, within floating-point noise', () => {
    expect(pickWinner(0.7, 0.7)).toBe('TIE');
    expect(pickWinner(0.1 + 0.2, 0.3)).toBe('TIE');
    expect(pickWinner(0, 0)).toBe('TIE');
  });

  it('lets a present score beat a missing one', () => {
    expect(pickWinner(undefined, 0.1)).toBe('RIGHT');
    expect(pickWinner(0.1)).toBe('LEFT');
    expect(pickWinner(0, undefined)).toBe('LEFT');
    expect(pickWinner(Number.NaN, 0.5)).toBe('RIGHT');
    expect(pickWinner()).toBe('TIE');
    expect(pickWinner(undefined, Number.NaN)).toBe('TIE');
  });
});
