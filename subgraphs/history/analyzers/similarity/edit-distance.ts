import type { SimilarityCalculator } from '../contract.js';
import { normalizeText } from '../text/tokenize.js';
import { boundedLevenshtein } from './levenshtein.js';

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
 * The distance is character-level and exact up to `EXACT_DISTANCE_CELLS` (levenshtein.ts) table cells (the
 * product of the lengths once the shared prefix and suffix are dropped: two texts of 16,384 code
 * points). Longer pairs are aligned within a band around the diagonal (see `levenshtein.ts`),
 * which is exact for versions of one text and otherwise can only lower the ratio; the work of any
 * pair stays near that of two 16 KB texts (`bench/history-analysis.ts`: two unrelated 100 KB texts
 * in 0.15 s against 5.1 s for the exact distance, ratio 0.2500 against 0.2504).
 */
export function editDistanceRatio(left: string, right: string): number {
  const a = codePoints(left);
  const b = codePoints(right);
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - boundedLevenshtein(a, b) / longest;
}

/** The built-in edit-distance similarity, registered as `"edit-distance"`. */
export const editDistanceSimilarity: SimilarityCalculator = Object.freeze({
  name: 'edit-distance',
  // 1.1.0: pairs beyond EXACT_DISTANCE_CELLS are aligned within a band (exact before).
  version: '1.1.0',
  compare: editDistanceRatio,
});
