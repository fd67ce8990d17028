import type { SimilarityCalculator } from '../contract.js';
import { normalizeText } from '../text/tokenize.js';
import { levenshtein } from './levenshtein.js';

/** The Unicode code points of NFC-normalised text (an emoji is one character, not two). */
function codePoints(text: string): Uint32Array {
  const chars = Array.from(normalizeText(text));
  const points = new Uint32Array(chars.length);
  for (let i = 0; i < chars.length; i += 1) points[i] = chars[i]!.codePointAt(0)!;
  return points;
}

/**
 * Normalised Levenshtein similarity over characters (code points of the NFC text, case and
 * whitespace significant): `1 − distance / max(len(left), len(right))`; two empty texts are 1.
 * The distance is exact and character-level at any length (see `levenshtein.ts`); there is no
 * token-level approximation.
 */
export function editDistanceRatio(left: string, right: string): number {
  const a = codePoints(left);
  const b = codePoints(right);
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(a, b) / longest;
}

/** The built-in edit-distance similarity, registered as `"edit-distance"`. */
export const editDistanceSimilarity: SimilarityCalculator = Object.freeze({
  name: 'edit-distance',
  version: '1.0.0',
  compare: editDistanceRatio,
});
