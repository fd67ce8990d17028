import { clamp, round4 } from '../text/numeric.js';
import { foldWord } from '../text/tokenize.js';
import { NEGATIVE_WORDS, NEGATOR_WORDS, POSITIVE_WORDS } from './sentiment-lexicon.js';

/** How many following words of the same sentence a negator reaches ("not very good"). */
export const NEGATION_WINDOW = 3;

/** Tally of a sentiment pass: positive and negative hits after negation, and all lexicon hits. */
export interface SentimentTally {
  readonly positive: number;
  readonly negative: number;
  readonly matched: number;
}

/** Whether a folded word negates what follows: a listed negator or a "…n't" contraction. */
export function isNegator(folded: string): boolean {
  return NEGATOR_WORDS.has(folded) || folded.endsWith("n't");
}

/**
 * Counts lexicon hits sentence by sentence. A negator opens a window over the next
 * {@link NEGATION_WINDOW} words of its sentence; the first lexicon word inside it counts with
 * flipped polarity ("not good" is negative, "no es malo" positive) and closes the window.
 */
export function tallySentiment(sentences: readonly (readonly string[])[]): SentimentTally {
  let positive = 0;
  let negative = 0;
  for (const sentence of sentences) {
    let window = 0;
    for (const word of sentence) {
      const key = foldWord(word);
      const polarity = POSITIVE_WORDS.has(key) ? 1 : NEGATIVE_WORDS.has(key) ? -1 : 0;
      if (polarity !== 0) {
        const effective = window > 0 ? -polarity : polarity;
        if (effective > 0) positive += 1;
        else negative += 1;
        window = 0;
      } else if (isNegator(key)) {
        window = NEGATION_WINDOW;
      } else if (window > 0) {
        window -= 1;
      }
    }
  }
  return { positive, negative, matched: positive + negative };
}

/** Sentiment score `(positive − negative) / max(1, matched)`, clamped to −1..1, 4 decimals. */
export function sentimentScore(tally: SentimentTally): number {
  return round4(clamp((tally.positive - tally.negative) / Math.max(1, tally.matched), -1, 1));
}
