import { describe, expect, it } from 'vitest';
import { basicMetricsAnalyzer, computeBasicMetrics, EMPTY_METRICS, fleschReadingEase } from '../../../subgraphs/history/analyzers/index.js';
import type { ContentMetrics } from '../../../subgraphs/history/analyzers/index.js';

const allFinite = (metrics: ContentMetrics): boolean => Object.values(metrics).every((value) => Number.isFinite(value));

describe('basic content metrics', () => {
  it('measures a short two-sentence text', () => {
    // "The cat sat. The dog ran."
    // words = 6 (The cat sat The dog ran), sentences = 2
    // letters = 6 × 3 = 18 → averageWordLength = 18 / 6 = 3
    // averageSentenceLength = 6 / 2 = 3
    // distinct (case-folded) = {the, cat, sat, dog, ran} = 5 → lexicalDiversity = 5/6 = 0.8333
    // syllables = 6 × 1 = 6
    // Flesch = 206.835 − 1.015·(6/2) − 84.6·(6/6) = 206.835 − 3.045 − 84.6 = 119.19
    expect(computeBasicMetrics('The cat sat. The dog ran.')).toEqual({
      words: 6,
      sentences: 2,
      averageWordLength: 3,
      averageSentenceLength: 3,
      lexicalDiversity: 0.8333,
      readability: 119.19,
      sentiment: 0,
    });
  });

  it('computes Flesch reading ease from polysyllabic words', () => {
    // "Beautiful tables make people happy. Reading is fun!"
    // syllables: Beautiful 3 (eau,i,u) + tables 2 (a,e; ends in s) + make 1 (a,e − silent e)
    //          + people 2 (eo,e; "ple" keeps e) + happy 2 (a,y) + Reading 2 (ea,i) + is 1
    //          + fun 1 = 14
    // words = 8, sentences = 2
    // Flesch = 206.835 − 1.015·(8/2) − 84.6·(14/8) = 206.835 − 4.06 − 148.05 = 54.725
    // letters = 9+6+4+6+5+7+2+3 = 42 → averageWordLength = 42/8 = 5.25
    // sentiment: "happy" is the only lexicon word → (1 − 0)/1 = 1
    expect(computeBasicMetrics('Beautiful tables make people happy. Reading is fun!')).toEqual({
      words: 8,
      sentences: 2,
      averageWordLength: 5.25,
      averageSentenceLength: 4,
      lexicalDiversity: 1,
      readability: 54.725,
      sentiment: 1,
    });
  });

  it('folds case when measuring lexical diversity', () => {
    // "Go go GO now" → words 4, distinct {go, now} = 2 → 2/4 = 0.5
    expect(computeBasicMetrics('Go go GO now').lexicalDiversity).toBe(0.5);
  });

  it('measures a single word', () => {
    // "Hello": words 1, sentences 1, length 5, syllables 2 (e, o)
    // Flesch = 206.835 − 1.015·1 − 84.6·2 = 206.835 − 1.015 − 169.2 = 36.62
    expect(computeBasicMetrics('Hello')).toEqual({
      words: 1,
      sentences: 1,
      averageWordLength: 5,
      averageSentenceLength: 1,
      lexicalDiversity: 1,
      readability: 36.62,
      sentiment: 0,
    });
  });

  it('measures unicode words by code points and without NaN', () => {
    // "Ñandú café über": words 3, sentences 1, letters 5+4+4 = 13 → 13/3 = 4.3333
    // syllables: nandu 2 + café 2 + uber 2 = 6
    // Flesch = 206.835 − 1.015·3 − 84.6·(6/3) = 206.835 − 3.045 − 169.2 = 34.59
    const metrics = computeBasicMetrics('Ñandú café über');
    expect(metrics).toEqual({
      words: 3,
      sentences: 1,
      averageWordLength: 4.3333,
      averageSentenceLength: 3,
      lexicalDiversity: 1,
      readability: 34.59,
      sentiment: 0,
    });
    expect(allFinite(computeBasicMetrics('𝔸𝔹ℂ 日本語です。😀'))).toBe(true);
    // "𝔸𝔹ℂ" is 3 code points (5 UTF-16 units); "日本語です" is 5 → (3 + 5) / 2 = 4
    expect(computeBasicMetrics('𝔸𝔹ℂ 日本語です。').averageWordLength).toBe(4);
  });

  it('gives all zeros for empty, blank and punctuation-only text', () => {
    for (const text of ['', '   \n\t', '!!! ... ???', '— 😀 …']) {
      expect(computeBasicMetrics(text)).toEqual(EMPTY_METRICS);
    }
    expect(Object.values(EMPTY_METRICS).every((value) => value === 0)).toBe(true);
  });

  it('guards the Flesch formula against zero words or sentences', () => {
    expect(fleschReadingEase(0, 0, 0)).toBe(0);
    expect(fleschReadingEase(5, 0, 5)).toBe(0);
    // 10 words, 1 sentence, 20 syllables: 206.835 − 10.15 − 169.2 = 27.485
    expect(fleschReadingEase(10, 1, 20)).toBeCloseTo(27.485, 10);
  });

  it('is exposed as the "basic-metrics" plugin and is deterministic', () => {
    expect(basicMetricsAnalyzer.name).toBe('basic-metrics');
    expect(basicMetricsAnalyzer.version).toBe('1.0.0');
    const text = 'Same input. Same output, every time!';
    expect(basicMetricsAnalyzer.analyze(text)).toEqual(basicMetricsAnalyzer.analyze(text));
  });
});
