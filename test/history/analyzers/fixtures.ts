/** Deterministic test fixtures shared by the analyzer tests. */

/** A seeded Park–Miller generator, so "random" fixtures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

const VOCABULARY = (
  'the quick brown fox jumps over lazy dog while birds sing across green fields and ' +
  'rivers run toward distant hills under bright morning light'
).split(' ');

/** Prose-like text of exactly `length` characters drawn from a small vocabulary. */
export function proseOfLength(length: number, seed: number): string {
  const random = seededRandom(seed);
  let text = '';
  while (text.length < length) {
    const word = VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'the';
    text += random() < 0.1 ? `${word}. ` : `${word} `;
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
