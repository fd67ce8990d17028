import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistanceRatio,
  editDistanceSimilarity,
  jaccardIndex,
  jaccardSimilarity,
  levenshtein,
  smoothedIdf,
  tfidfCosine,
  tfidfCosineSimilarity,
} from '../../../subgraphs/history/analyzers/index.js';
import { checkProperty } from '../../support/properties.js';
import { codeSequences, naiveLevenshtein, proseOfLength } from './fixtures.js';

const ALL = [tfidfCosineSimilarity, jaccardSimilarity, editDistanceSimilarity];
const IDF_UNIQUE = 1 + Math.log(1.5); // term in 1 of 2 documents: ln(3/2) + 1 ≈ 1.405465

describe('every similarity calculator', () => {
  it.each(ALL.map((c) => [c.name, c] as const))('%s gives 1 for identical texts', (_, calc) => {
    expect(calc.compare('The cat sat on the mat.', 'The cat sat on the mat.')).toBe(1);
    expect(calc.compare('Ñandú café über', 'Ñandú café über')).toBe(1);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s gives 0 for disjoint texts', (_, calc) => {
    expect(calc.compare('abc', 'xyz')).toBe(0);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s treats two empty texts as identical', (_, calc) => {
    expect(calc.compare('', '')).toBe(1);
    expect(calc.compare('', 'something')).toBe(0);
    expect(calc.compare('something', '')).toBe(0);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s is symmetric and within 0..1', (_, calc) => {
    const left = proseOfLength(400, 1);
    const right = proseOfLength(300, 2);
    const value = calc.compare(left, right);
    expect(calc.compare(right, left)).toBe(value);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(1);
  });
});

describe('TF-IDF cosine', () => {
  it('uses the smoothed idf ln((1 + N) / (1 + df)) + 1', () => {
    expect(smoothedIdf(2, 2)).toBe(1); // ln(3/3) + 1
    expect(smoothedIdf(2, 1)).toBeCloseTo(1.405465, 6); // ln(3/2) + 1
  });

  it('scores a known partial overlap', () => {
    // terms: the, cat (both docs, idf 1); sat, ran (one doc each, idf u = 1.405465)
    // left = (1, 1, u, 0), right = (1, 1, 0, u)
    // dot = 1 + 1 = 2; |left|² = |right|² = 2 + u² = 2 + 1.975332 = 3.975332
    // cosine = 2 / 3.975332 = 0.503103
    expect(tfidfCosine('the cat sat', 'the cat ran')).toBeCloseTo(2 / (2 + IDF_UNIQUE ** 2), 12);
    expect(tfidfCosine('the cat sat', 'the cat ran')).toBeCloseTo(0.503103, 6);
  });

  it('weights repeated terms by their count', () => {
    // left: good ×2 (idf 1), bad ×1 (idf u); right: good ×1
    // dot = 2·1 = 2; |left| = √(4 + u²) = √5.975332 = 2.444449; |right| = 1
    // cosine = 2 / 2.444449 = 0.818180
    expect(tfidfCosine('good good bad', 'good')).toBeCloseTo(0.81818, 5);
  });

  it('ignores case and punctuation', () => {
    expect(tfidfCosine('Cat, DOG!', 'cat dog')).toBe(1);
  });
});

describe('Jaccard index', () => {
  it('scores a known partial overlap', () => {
    // {the, cat, sat} ∩ {the, cat, ran} = 2; ∪ = 4 → 0.5
    expect(jaccardIndex('the cat sat', 'the cat ran')).toBe(0.5);
    // {a, b, c, d} ∩ {c, d, e} = 2; ∪ = 5 → 0.4
    expect(jaccardIndex('a b c d', 'c d e')).toBe(0.4);
  });

  it('compares sets, so repetition and case do not matter', () => {
    expect(jaccardIndex('a a A b', 'b a')).toBe(1);
  });
});

describe('edit-distance ratio', () => {
  it('scores known Levenshtein distances', () => {
    // kitten → sitting: k→s, e→i, +g = 3; 1 − 3/7 = 0.571429
    expect(editDistanceRatio('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    // flaw → lawn: −f, +n = 2; 1 − 2/4 = 0.5
    expect(editDistanceRatio('flaw', 'lawn')).toBe(0.5);
    // "The cat sat." → "The cat sat on the mat.": insert " on the mat" (11); 1 − 11/23
    expect(editDistanceRatio('The cat sat.', 'The cat sat on the mat.')).toBeCloseTo(12 / 23, 12);
  });

  it('counts characters as code points after NFC normalisation', () => {
    // "😀a" vs "a": one deletion over 2 code points → 1 − 1/2 (UTF-16 units would give 1 − 2/3)
    expect(editDistanceRatio('😀a', 'a')).toBe(0.5);
    // decomposed "é" (e + U+0301) equals precomposed "é"
    expect(editDistanceRatio('caf\u0065\u0301', 'caf\u00e9')).toBe(1);
  });

  it('is case- and whitespace-sensitive', () => {
    expect(editDistanceRatio('Cat', 'cat')).toBeCloseTo(2 / 3, 12);
    expect(editDistanceRatio('a b', 'ab')).toBeCloseTo(2 / 3, 12);
  });

  it('agrees with the textbook algorithm across 32-character block boundaries, either way round', () => {
    checkProperty(
      fc.property(codeSequences(140), ({ left, right }) => {
        const expected = naiveLevenshtein(left, right);
        expect(levenshtein(Uint32Array.from(left), Uint32Array.from(right))).toBe(expected);
        expect(levenshtein(Uint32Array.from(right), Uint32Array.from(left))).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });
});

describe('10 KB texts', () => {
  const SIZE = 10 * 1024;

  it('computes the exact edit distance of two 10 KB texts', () => {
    const left = proseOfLength(SIZE, 7);
    // replace every 97th character with "#", which never occurs in the prose: each "#" needs its
    // own edit and substitutions suffice, so the distance is exactly the number of replacements
    const chars = [...left];
    let replaced = 0;
    for (let i = 0; i < chars.length; i += 97) {
      chars[i] = '#';
      replaced += 1;
    }
    const right = chars.join('');
    expect(replaced).toBe(106); // ⌈10240 / 97⌉
    expect(editDistanceRatio(left, right)).toBeCloseTo(1 - replaced / SIZE, 12);
  });

  it('matches the textbook algorithm on unrelated 10 KB and 3 KB texts', () => {
    // 320 blocks of 32 rows over 3072 columns; the reference fills all 31 million cells
    const left = [...proseOfLength(SIZE, 11)].map((c) => c.codePointAt(0)!);
    const right = [...proseOfLength(3 * 1024, 12)].map((c) => c.codePointAt(0)!);
    const distance = levenshtein(Uint32Array.from(left), Uint32Array.from(right));
    expect(distance).toBe(naiveLevenshtein(left, right));
  });

  it('scores two 10 KB texts with every calculator', () => {
    const left = proseOfLength(SIZE, 3);
    // Both draw on one small vocabulary: a word the left text never uses keeps their word sets apart.
    const right = `${proseOfLength(SIZE - 7, 4)} zephyr`;
    for (const calculator of ALL) {
      const value = calculator.compare(left, right);
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
      expect(calculator.compare(left, left)).toBe(1);
    }
  });
});
