import { describe, expect, it } from 'vitest';
import { computeBasicMetrics, createHeuristicAssessor, EMPTY_METRICS, heuristicAssessor } from '../../../subgraphs/history/analyzers/index.js';
import type { ContentMetrics, QualityResult } from '../../../subgraphs/history/analyzers/index.js';

/** Hand-made metrics that land on easy-to-check points of every curve. */
const METRICS: ContentMetrics = {
  words: 40, // 20 ≤ 40 ≤ 800 → lengthAdequacy 1
  sentences: 4,
  averageWordLength: 4.5,
  averageSentenceLength: 10, // 8 ≤ 10 ≤ 25 → structure 1
  lexicalDiversity: 0.4, // 0.4 / 0.5 → lexicalRichness 0.8
  readability: 65, // 50 ≤ 65 ≤ 80 → readability 1
  sentiment: 0.2, // 1 − 0.2/2 → sentimentBalance 0.9
};

const dims = (result: QualityResult): Record<string, number> => Object.fromEntries(result.dimensions.map((d) => [d.name, d.score]));

const withMetrics = (patch: Partial<ContentMetrics>): ContentMetrics => ({ ...METRICS, ...patch });

describe('heuristic quality assessor', () => {
  it('scores the weighted mean of its dimensions', () => {
    // prompt terms: running, shoes→shoe, trail ("for" is a stopword) = 3
    // content terms: trail, shoe, built, for, mud → 2 of 3 present → relevance 0.6667
    // score = 0.25·1 + 0.15·0.8 + 0.15·1 + 0.20·(2/3) + 0.15·1 + 0.10·0.9
    //       = 0.25 + 0.12 + 0.15 + 0.133333 + 0.15 + 0.09 = 0.893333 → 0.8933
    const result = heuristicAssessor.assess({
      content: 'Trail shoes built for mud.',
      prompt: 'running shoes for trail',
      metrics: METRICS,
    });
    expect(result.score).toBe(0.8933);
    expect(result.dimensions).toEqual([
      { name: 'readability', score: 1 },
      { name: 'lexicalRichness', score: 0.8 },
      { name: 'lengthAdequacy', score: 1 },
      { name: 'relevance', score: 0.6667 },
      { name: 'structure', score: 1 },
      { name: 'sentimentBalance', score: 0.9 },
    ]);
  });

  it('leaves relevance out and renormalises the weights without a prompt', () => {
    // (0.25·1 + 0.15·0.8 + 0.15·1 + 0.15·1 + 0.10·0.9) / 0.80 = 0.76 / 0.8 = 0.95
    for (const prompt of [undefined, '', '  ?! ']) {
      const result = heuristicAssessor.assess({ content: 'anything', prompt, metrics: METRICS });
      expect(result.score).toBe(0.95);
      expect(result.dimensions.map((d) => d.name)).not.toContain('relevance');
    }
  });

  it('matches prompt terms across case, accents and plurals', () => {
    const relevance = (content: string, prompt: string): number | undefined =>
      dims(heuristicAssessor.assess({ content, prompt, metrics: METRICS }))['relevance'];
    expect(relevance('Zapatos CÓMODOS para correr', 'zapato comodo')).toBe(1);
    expect(relevance('Nothing related here', 'zapato comodo')).toBe(0);
    // a prompt made only of stopwords uses them as its terms: {the, of} → "the" present = 0.5
    expect(relevance('the end', 'the of')).toBe(0.5);
  });

  it('scores readability on a plateau between 50 and 80', () => {
    const readability = (flesch: number): number | undefined =>
      dims(heuristicAssessor.assess({ content: 'x', metrics: withMetrics({ readability: flesch }) }))['readability'];
    expect(readability(-10)).toBe(0);
    expect(readability(25)).toBe(0.5); // 25 / 50
    expect(readability(80)).toBe(1);
    expect(readability(100)).toBe(0.75); // 1 − (100 − 80) / 80
    expect(readability(200)).toBe(0.5); // floor
  });

  it('penalises text that is too short, too long, or badly structured', () => {
    const score = (patch: Partial<ContentMetrics>): Record<string, number> => dims(heuristicAssessor.assess({ content: 'x', metrics: withMetrics(patch) }));
    expect(score({ words: 10 })['lengthAdequacy']).toBe(0.5); // 10 / 20
    expect(score({ words: 1000 })['lengthAdequacy']).toBe(0.8); // 800 / 1000
    expect(score({ words: 5000 })['lengthAdequacy']).toBe(0.5); // floor
    expect(score({ averageSentenceLength: 4 })['structure']).toBe(0.5); // 4 / 8
    expect(score({ averageSentenceLength: 30 })['structure']).toBe(0.8); // 1 − 5/25
    expect(score({ averageSentenceLength: 60 })['structure']).toBe(0); // past 50
    expect(score({ lexicalDiversity: 0.9 })['lexicalRichness']).toBe(1); // capped
    expect(score({ sentiment: -1 })['sentimentBalance']).toBe(0.5);
  });

  it('assesses real text end to end', () => {
    // metrics of "The cat sat. The dog ran.": words 6, avg sentence 3, diversity 0.8333,
    // Flesch 119.19, sentiment 0 (see basic-metrics tests)
    // readability 1 − (119.19 − 80)/80 = 0.510125; lexicalRichness min(1, 0.8333/0.5) = 1
    // lengthAdequacy 6/20 = 0.3; relevance: prompt terms {cat} → 1; structure 3/8 = 0.375
    // sentimentBalance 1
    // score = 0.25·0.510125 + 0.15·1 + 0.15·0.3 + 0.2·1 + 0.15·0.375 + 0.1·1
    //       = 0.12753125 + 0.15 + 0.045 + 0.2 + 0.05625 + 0.1 = 0.67878125 → 0.6788
    const content = 'The cat sat. The dog ran.';
    const result = heuristicAssessor.assess({
      content,
      prompt: 'Write about a cat',
      metrics: computeBasicMetrics(content),
    });
    expect(result.score).toBe(0.6788);
    expect(dims(result)).toEqual({
      readability: 0.5101,
      lexicalRichness: 1,
      lengthAdequacy: 0.3,
      relevance: 1,
      structure: 0.375,
      sentimentBalance: 1,
    });
  });

  it('scores content without words as zero on every dimension', () => {
    const result = heuristicAssessor.assess({ content: '...', prompt: 'cats', metrics: EMPTY_METRICS });
    expect(result.score).toBe(0);
    expect(result.dimensions.every((d) => d.score === 0)).toBe(true);
    expect(result.dimensions).toHaveLength(6);
  });

  it('keeps the score within 0..1 even for out-of-range metrics', () => {
    const wild = { ...METRICS, readability: Number.NaN, lexicalDiversity: -3, sentiment: 7 };
    const result = heuristicAssessor.assess({ content: 'x', metrics: wild });
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(1);
    expect(result.dimensions.every((d) => d.score >= 0 && d.score <= 1)).toBe(true);
  });

  it('accepts custom weights and length range', () => {
    const readabilityOnly = createHeuristicAssessor({
      weights: {
        lexicalRichness: 0,
        lengthAdequacy: 0,
        relevance: 0,
        structure: 0,
        sentimentBalance: 0,
      },
    });
    // only readability weighs: score = readability(25) = 0.5
    const metrics = withMetrics({ readability: 25 });
    expect(readabilityOnly.assess({ content: 'x', metrics }).score).toBe(0.5);

    const short = createHeuristicAssessor({ minWords: 5, maxWords: 10 });
    // 40 words > 10 → max(0.5, 10/40) = 0.5
    expect(dims(short.assess({ content: 'x', metrics: METRICS }))['lengthAdequacy']).toBe(0.5);
  });

  it('rejects invalid options', () => {
    expect(() => createHeuristicAssessor({ weights: { readability: -1 } })).toThrow(/readability/);
    expect(() => createHeuristicAssessor({ weights: { structure: Number.NaN } })).toThrow();
    expect(() => createHeuristicAssessor({ minWords: 0 })).toThrow(/minWords/);
    expect(() => createHeuristicAssessor({ minWords: 50, maxWords: 10 })).toThrow(/maxWords/);
  });

  it('is exposed as the "heuristic" plugin and is deterministic', () => {
    expect(heuristicAssessor.name).toBe('heuristic');
    expect(heuristicAssessor.version).toBe('1.0.0');
    const input = { content: 'Trail shoes built for mud.', prompt: 'trail shoes', metrics: METRICS };
    expect(heuristicAssessor.assess(input)).toEqual(heuristicAssessor.assess(input));
  });
});
