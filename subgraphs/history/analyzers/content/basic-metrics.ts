import type { ContentAnalyzer, ContentMetrics } from '../contract.js';
import { ratio, round4 } from '../text/numeric.js';
import { estimateSyllables } from '../text/syllables.js';
import { codePointLength, normalizeWord, tokenizeSentences } from '../text/tokenize.js';
import { sentimentScore, tallySentiment } from './sentiment.js';

/** Metrics of a text without words (empty, whitespace or punctuation only): all zeros. */
export const EMPTY_METRICS: ContentMetrics = Object.freeze({
  words: 0,
  sentences: 0,
  averageWordLength: 0,
  averageSentenceLength: 0,
  lexicalDiversity: 0,
  readability: 0,
  sentiment: 0,
});

/**
 * Flesch reading ease: `206.835 − 1.015·(words/sentences) − 84.6·(syllables/words)`.
 * Returns 0 when there are no words or sentences (the formula is undefined there).
 */
export function fleschReadingEase(words: number, sentences: number, syllables: number): number {
  if (words === 0 || sentences === 0) return 0;
  return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words);
}

/**
 * Computes {@link ContentMetrics} from the words and sentences of `text` (see `text/tokenize.ts`
 * for what counts as a word or a sentence). Averages, diversity, readability and sentiment are
 * rounded to 4 decimals; a text without words gives {@link EMPTY_METRICS}.
 */
export function computeBasicMetrics(text: string): ContentMetrics {
  const sentences = tokenizeSentences(text);
  const words = sentences.flat();
  if (words.length === 0) return EMPTY_METRICS;

  let letters = 0;
  let syllables = 0;
  const distinct = new Set<string>();
  for (const word of words) {
    letters += codePointLength(word);
    syllables += estimateSyllables(word);
    distinct.add(normalizeWord(word));
  }
  return {
    words: words.length,
    sentences: sentences.length,
    averageWordLength: round4(ratio(letters, words.length)),
    averageSentenceLength: round4(ratio(words.length, sentences.length)),
    lexicalDiversity: round4(ratio(distinct.size, words.length)),
    readability: round4(fleschReadingEase(words.length, sentences.length, syllables)),
    sentiment: sentimentScore(tallySentiment(sentences)),
  };
}

/** The built-in content analyzer, registered as `"basic-metrics"`. */
export const basicMetricsAnalyzer: ContentAnalyzer = Object.freeze({
  name: 'basic-metrics',
  version: '1.0.0',
  analyze: computeBasicMetrics,
});
