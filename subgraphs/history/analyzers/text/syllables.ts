import { foldWord, normalizeWord } from './tokenize.js';

/**
 * Vowels for the syllable estimate, after diacritics are stripped: Latin (with `y`), Greek and
 * Cyrillic. Letters of other scripts have no vowel groups and fall back to one syllable.
 */
const VOWEL_GROUP = /[aeiouyαεηιουωаеиоуыэюяё]+/gu;
/** A consonant followed by "le" at the end ("table", "little"): that "e" is voiced. */
const CONSONANT_LE = /[^aeiouy]le$/u;

/**
 * Estimates the syllables of one word, for the Flesch formula (an English heuristic):
 * 1. fold case and strip diacritics ("über" → "uber"), then count maximal vowel groups;
 * 2. a trailing unaccented "e" is silent ("make" → 1) unless it is the only group or follows a
 *    consonant + "l" ("table" → 2); an accented one is voiced ("café" → 2);
 * 3. every word has at least one syllable (digits, "rhythm"-like words, other scripts).
 */
export function estimateSyllables(word: string): number {
  const lower = normalizeWord(word);
  let count = foldWord(word).match(VOWEL_GROUP)?.length ?? 0;
  if (count > 1 && lower.endsWith('e') && !CONSONANT_LE.test(lower)) count -= 1;
  return Math.max(1, count);
}
