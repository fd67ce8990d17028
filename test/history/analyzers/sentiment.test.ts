import { describe, expect, it } from 'vitest';
import { computeBasicMetrics, sentimentScore, tallySentiment, tokenizeSentences } from '../../../subgraphs/history/analyzers/index.js';

const sentiment = (text: string): number => computeBasicMetrics(text).sentiment;

describe('lexicon sentiment', () => {
  it('scores (positive − negative) / matched', () => {
    // good: +1; terrible, slow: −2 → (1 − 2) / 3 = −0.3333
    expect(sentiment('The food was good but the service was terrible and slow.')).toBe(-0.3333);
    // excellent, love: +2 → 2 / 2 = 1
    expect(sentiment('Excellent product, I love it')).toBe(1);
  });

  it('is zero when no lexicon word occurs', () => {
    expect(sentiment('The meeting is at noon on Tuesday.')).toBe(0);
  });

  it('reads Spanish words, with or without accents', () => {
    expect(sentiment('Un producto fantástico y útil')).toBe(1);
    expect(sentiment('Un producto fantastico')).toBe(1);
    // pésimo, lento: −2 ; excelente: +1 → (1 − 2) / 3 = −0.3333
    expect(sentiment('Servicio pésimo y lento, pero la comida excelente.')).toBe(-0.3333);
  });

  it('flips polarity after a negation', () => {
    expect(sentiment('This is not good.')).toBe(-1);
    expect(sentiment("It isn't bad at all.")).toBe(1);
    expect(sentiment('No es malo.')).toBe(1);
    expect(sentiment('Nunca fue fácil.')).toBe(-1);
    // not → flips "good" (−1); "great" is outside the closed window (+1) → 0 / 2 = 0
    expect(sentiment('Not good, great.')).toBe(0);
  });

  it('limits negation to the next three words of the same sentence', () => {
    // not (window 3) → a 2 → very 1 → good is still inside: −1
    expect(sentiment('not a very good idea')).toBe(-1);
    // not → at 2 → all 1 → a 0 → good is outside: +1
    expect(sentiment('not at all a good idea')).toBe(1);
    // the sentence ends before "Good"
    expect(sentiment('It is not. Good!')).toBe(1);
  });

  it('tallies hits so callers can combine texts', () => {
    const tally = tallySentiment(tokenizeSentences('good bad bad. not bad'));
    // good +1, bad −1, bad −1, "not bad" +1 → positive 2, negative 2, matched 4
    expect(tally).toEqual({ positive: 2, negative: 2, matched: 4 });
    expect(sentimentScore(tally)).toBe(0);
    expect(sentimentScore({ positive: 0, negative: 0, matched: 0 })).toBe(0);
  });
});
