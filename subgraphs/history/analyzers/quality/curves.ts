/**
 * Scoring curves of the heuristic assessor: each maps one metric to 0..1. They are piecewise
 * linear so a score can be checked by hand.
 */

/**
 * Flesch reading ease → 0..1. Plain prose (50..80) scores 1; harder text falls linearly to 0
 * at ≤ 0; very easy text (> 80) falls linearly towards a floor of 0.5 reached at 120, because
 * it tends to be simplistic rather than unreadable.
 */
export function readabilityCurve(flesch: number): number {
  if (flesch <= 0) return 0;
  if (flesch < 50) return flesch / 50;
  if (flesch <= 80) return 1;
  return Math.max(0.5, 1 - (flesch - 80) / 80);
}

/**
 * Lexical diversity (type/token ratio) → 0..1, reaching 1 at `target` (0.5 by default: half of
 * the words distinct). Repetitive text scores proportionally lower.
 */
export function lexicalRichnessCurve(diversity: number, target = 0.5): number {
  return Math.min(1, Math.max(0, diversity) / target);
}

/**
 * Word count → 0..1: linear up to `minWords`, 1 between `minWords` and `maxWords`, then
 * `maxWords / words` (never below 0.5) for rambling text.
 */
export function lengthCurve(words: number, minWords: number, maxWords: number): number {
  if (words <= 0) return 0;
  if (words < minWords) return words / minWords;
  if (words <= maxWords) return 1;
  return Math.max(0.5, maxWords / words);
}

/**
 * Average sentence length (words) → 0..1: 1 for 8..25 words, linear below 8, and falling
 * linearly from 1 at 25 to 0 at 50 for run-on sentences.
 */
export function structureCurve(averageSentenceLength: number): number {
  const a = averageSentenceLength;
  if (a <= 0) return 0;
  if (a < 8) return a / 8;
  if (a <= 25) return 1;
  return Math.max(0, 1 - (a - 25) / 25);
}

/** Sentiment −1..1 → 0..1 as `1 − |sentiment| / 2`: neutral 1, strongly polar 0.5. */
export function sentimentBalanceCurve(sentiment: number): number {
  return 1 - Math.min(1, Math.abs(sentiment)) / 2;
}
