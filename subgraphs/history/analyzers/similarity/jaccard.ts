import type { SimilarityCalculator } from '../contract.js';
import { terms } from './terms.js';

/**
 * Jaccard index of the two texts' word sets: `|L ∩ R| / |L ∪ R|` over case-folded words.
 * Two texts without words are identical (1); one without words shares nothing (0).
 */
export function jaccardIndex(left: string, right: string): number {
  const a = new Set(terms(left));
  const b = new Set(terms(right));
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** The built-in Jaccard similarity, registered as `"jaccard"`. */
export const jaccardSimilarity: SimilarityCalculator = Object.freeze({
  name: 'jaccard',
  version: '1.0.0',
  compare: jaccardIndex,
});
