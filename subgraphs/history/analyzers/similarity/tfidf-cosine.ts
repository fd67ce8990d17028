import type { SimilarityCalculator } from '../contract.js';
import { clamp } from '../text/numeric.js';
import { termCounts } from './terms.js';

/**
 * Smoothed inverse document frequency, `ln((1 + N) / (1 + df)) + 1`, for a term found in `df`
 * of `N` documents. The `+1`s keep it finite and positive, so shared terms still count.
 */
export function smoothedIdf(documentCount: number, documentFrequency: number): number {
  return Math.log((1 + documentCount) / (1 + documentFrequency)) + 1;
}

/**
 * Cosine of the TF-IDF vectors of the two texts, treating the pair as the whole corpus (N = 2):
 * a term's weight is its raw count times {@link smoothedIdf}, so words both texts use
 * (idf = 1) weigh less than words only one uses (idf = 1 + ln 1.5 ≈ 1.405). Terms are visited in
 * sorted order, so `compare(a, b)` and `compare(b, a)` are bit-for-bit equal. Two texts without
 * words are identical (1); one without words shares nothing (0).
 */
export function tfidfCosine(left: string, right: string): number {
  const a = termCounts(left);
  const b = termCounts(right);
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0;
  const vocabulary = [...new Set([...a.keys(), ...b.keys()])].sort();
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const term of vocabulary) {
    const countA = a.get(term) ?? 0;
    const countB = b.get(term) ?? 0;
    const idf = smoothedIdf(2, (countA > 0 ? 1 : 0) + (countB > 0 ? 1 : 0));
    const weightA = countA * idf;
    const weightB = countB * idf;
    dot += weightA * weightB;
    normA += weightA * weightA;
    normB += weightB * weightB;
  }
  return clamp(dot / Math.sqrt(normA * normB), 0, 1);
}

/** The built-in TF-IDF cosine similarity, registered as `"tfidf-cosine"`. */
export const tfidfCosineSimilarity: SimilarityCalculator = Object.freeze({
  name: 'tfidf-cosine',
  version: '1.0.0',
  compare: tfidfCosine,
});
