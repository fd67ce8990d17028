/** Deterministic test fixtures shared by the analyzer tests. */
import fc from 'fast-check';
import { seededRandom } from '../../support/seeded-random.js';

const VOCABULARY = (
  'the quick brown fox jumps over lazy dog while birds sing across green fields and ' + 'rivers run toward distant hills under bright morning light'
).split(' ');

/** Prose-like text of exactly `length` characters drawn from a small vocabulary, the same for the same seed. */
export function proseOfLength(length: number, seed: number): string {
  const random = seededRandom(seed);
  let text = '';
  while (text.length < length) {
    const word = random.pick(VOCABULARY);
    text += random.chance(0.1) ? `${word}. ` : `${word} `;
  }
  return text.slice(0, length);
}

/**
 * Reference Levenshtein distance: the textbook dynamic programme, cell by cell, keeping two
 * rows of the table (row i − 1 and row i).
 */
export function naiveLevenshtein(left: readonly number[], right: readonly number[]): number {
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** Lengths at and around the 32-character blocks of the bit-parallel edit distance. */
const BLOCK_EDGE_LENGTHS = [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 129];

/**
 * Code-point sequences over a small alphabet (size 2, 4 or 26 gives many, some or few matches),
 * half of them of a length at a block edge, the rest up to `maxLength` long.
 */
export function codeSequences(maxLength: number): fc.Arbitrary<{ left: number[]; right: number[] }> {
  const letters = fc.nat({ max: 25 });
  const sequence = fc.oneof(
    fc
      .constantFrom(...BLOCK_EDGE_LENGTHS.filter((length) => length <= maxLength))
      .chain((length) => fc.array(letters, { minLength: length, maxLength: length })),
    fc.array(letters, { maxLength, size: 'max' }),
  );
  return fc
    .tuple(fc.constantFrom(2, 4, 26), sequence, sequence)
    .map(([alphabet, left, right]) => ({ left: left.map((letter) => 97 + (letter % alphabet)), right: right.map((letter) => 97 + (letter % alphabet)) }));
}
