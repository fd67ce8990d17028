import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXACT_DISTANCE_CELLS, bandedLevenshtein, boundedLevenshtein, editDistanceRatio, levenshtein } from '../../../subgraphs/history/analyzers/index.js';
import { checkProperty } from '../../support/properties.js';
import { codeSequences, naiveLevenshtein, proseOfLength } from './fixtures.js';

const codePoints = (text: string): Uint32Array => Uint32Array.from([...text].map((char) => char.codePointAt(0)!));

/**
 * The documented band, cell by cell: after trimming the shared prefix and suffix, the longer
 * sequence (of two equally long ones the lexicographically smaller) gives the rows, in blocks of
 * 32; rows [r0, r1) fill columns [⌊r0·n/m⌋ − band, ⌈r1·n/m⌉ + band) of the other; a cell left of
 * a window is reached straight down, one right of the previous window straight along the row.
 */
function bandReference(left: readonly number[], right: readonly number[], band: number): number {
  let start = 0;
  while (start < Math.min(left.length, right.length) && left[start] === right[start]) start += 1;
  let endL = left.length;
  let endR = right.length;
  while (endL > start && endR > start && left[endL - 1] === right[endR - 1]) {
    endL -= 1;
    endR -= 1;
  }
  const a = left.slice(start, endL);
  const b = right.slice(start, endR);
  const firstDiff = a.findIndex((value, index) => value !== b[index]);
  const bFirst = b.length > a.length || (b.length === a.length && firstDiff >= 0 && b[firstDiff]! < a[firstDiff]!);
  const [pattern, text] = bFirst ? [b, a] : [a, b];
  const m = pattern.length;
  const n = text.length;
  if (n === 0) return m;
  // Row r0 of the table above the current block, known on columns [known.from, known.to].
  let above = Array.from({ length: n + 1 }, (_, j) => j);
  let known = { from: 0, to: n };
  for (let r0 = 0; r0 < m; r0 += 32) {
    const r1 = Math.min(m, r0 + 32);
    const from = Math.max(0, Math.floor((r0 * n) / m) - band);
    const to = Math.min(n, Math.ceil((r1 * n) / m) + band);
    for (let j = known.to + 1; j <= to; j += 1) above[j] = above[j - 1]! + 1;
    let row = above;
    for (let r = r0 + 1; r <= r1; r += 1) {
      const next = new Array<number>(n + 1).fill(Number.NaN);
      next[from] = above[from]! + (r - r0);
      for (let j = from + 1; j <= to; j += 1) {
        const substitution = row[j - 1]! + (pattern[r - 1] === text[j - 1] ? 0 : 1);
        next[j] = Math.min(substitution, row[j]! + 1, next[j - 1]! + 1);
      }
      row = next;
    }
    above = row;
    known = { from, to };
  }
  return above[n]!;
}

describe('edit distance with bounded work', () => {
  it('is the exact distance up to EXACT_DISTANCE_CELLS table cells, and banded from one cell more', () => {
    expect(EXACT_DISTANCE_CELLS).toBe(16_384 * 16_384);
    // 32,768 × 8,192 cells. The short text is the start of the long one, whose alignment leaves
    // the diagonal (slope 1/4) far behind. Different first and last characters: nothing to trim.
    const start = proseOfLength(8_190, 31);
    const left = codePoints(`<${start}${proseOfLength(24_576, 32)}>`);
    const right = codePoints(`[${start}]`);
    expect(left.length * right.length).toBe(EXACT_DISTANCE_CELLS);
    const exact = levenshtein(left, right);
    expect(boundedLevenshtein(left, right)).toBe(exact);
    expect(boundedLevenshtein(left, right, EXACT_DISTANCE_CELLS - 1)).toBeGreaterThan(exact);
  });

  it('beyond the limit fills exactly the documented band around the diagonal', () => {
    checkProperty(
      fc.property(codeSequences(150), fc.nat({ max: 40 }), ({ left, right }, band) => {
        expect(bandedLevenshtein(Uint32Array.from(left), Uint32Array.from(right), band)).toBe(bandReference(left, right, band));
      }),
      { numRuns: 400 },
    );
  });

  it('never reports less than the exact distance, and gives the same answer either way round', () => {
    checkProperty(
      // Small limits force the band.
      fc.property(codeSequences(180), fc.nat({ max: 2_000 }), ({ left, right }, limit) => {
        const exact = naiveLevenshtein(left, right);
        const bounded = boundedLevenshtein(Uint32Array.from(left), Uint32Array.from(right), limit);
        expect(bounded).toBeGreaterThanOrEqual(exact);
        expect(boundedLevenshtein(Uint32Array.from(right), Uint32Array.from(left), limit)).toBe(bounded);
      }),
      { numRuns: 400 },
    );
  });

  it('is exact for an edited version of a 100 KB text', () => {
    const left = proseOfLength(100_000, 5);
    const chars = [...left];
    let replaced = 0;
    for (let i = 0; i < chars.length; i += 53) {
      chars[i] = '#';
      replaced += 1;
    }
    // 250 "#" in front shift the whole alignment off the diagonal; each "#" needs one edit.
    const right = '#'.repeat(250) + chars.join('');
    expect(editDistanceRatio(left, right)).toBeCloseTo(1 - (250 + replaced) / right.length, 12);
  });

  it('stays within 0.5% of the exact distance for unrelated 30,000-character texts', () => {
    const left = codePoints(proseOfLength(30_000, 41));
    const right = codePoints(proseOfLength(30_000, 42));
    expect(30_000 * 30_000).toBeGreaterThan(EXACT_DISTANCE_CELLS);
    const exact = levenshtein(left, right);
    const bounded = boundedLevenshtein(left, right);
    expect(bounded).toBeGreaterThanOrEqual(exact);
    expect((bounded - exact) / 30_000).toBeLessThan(0.005);
  });
});
