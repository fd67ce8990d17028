import { normalizeWord, tokenizeWords } from '../text/tokenize.js';

/** Case-folded words of a text (diacritics kept: "año" and "ano" are different words). */
export function terms(text: string): string[] {
  return tokenizeWords(text).map(normalizeWord);
}

/** How many times each case-folded word occurs in a text. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
