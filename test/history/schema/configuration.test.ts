import { describe, expect, it } from 'vitest';
import { defaultRegistry, type QualityAssessor } from '../../../subgraphs/history/analyzers/index.js';
import { analyzerConfigFromEnv, createHistoryPlugins } from '../../../subgraphs/history/config.js';

describe('analyzer configuration', () => {
  it('reads HISTORY_ANALYZER, HISTORY_ASSESSOR and HISTORY_SIMILARITY; unset means default', () => {
    expect(analyzerConfigFromEnv({})).toEqual({});
    expect(
      analyzerConfigFromEnv({ HISTORY_ANALYZER: ' basic-metrics ', HISTORY_ASSESSOR: 'heuristic', HISTORY_SIMILARITY: 'jaccard, tfidf-cosine,,' }),
    ).toEqual({
      analyzer: 'basic-metrics',
      assessor: 'heuristic',
      similarity: ['jaccard', 'tfidf-cosine'],
    });
    expect(analyzerConfigFromEnv({ HISTORY_SIMILARITY: ' , ' })).toEqual({});
  });

  it('selects registered plugins by name, extra plugins included', () => {
    const strict: QualityAssessor = { name: 'strict', version: '3.1.0', assess: () => ({ score: 0.1, dimensions: [] }) };
    const plugins = createHistoryPlugins({ registry: defaultRegistry().register('assessor', strict), config: { assessor: 'strict', similarity: ['jaccard'] } });
    expect(plugins.selection.assessor).toBe(strict);
    expect(plugins.comparison.similarity.map((calculator) => calculator.name)).toEqual(['jaccard']);
    expect(plugins.assessor(null)).toBe(strict);
    expect(plugins.assessor('heuristic')?.name).toBe('heuristic');
    expect(plugins.assessor('missing')).toBeUndefined();
  });

  it('refuses unknown names at startup, listing what is available', () => {
    expect(() => createHistoryPlugins({ config: { assessor: 'oracle' } })).toThrow(/Unknown quality assessor "oracle"; available: heuristic/);
    expect(() => createHistoryPlugins({ config: { similarity: ['cosine'] } })).toThrow(/Unknown similarity calculator "cosine"/);
  });
});
