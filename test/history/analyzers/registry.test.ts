import { describe, expect, it } from 'vitest';
import {
  basicMetricsAnalyzer,
  createAnalyzerRegistry,
  defaultRegistry,
  heuristicAssessor,
  selectAnalyzers,
  tfidfCosineSimilarity,
} from '../../../subgraphs/history/analyzers/index.js';
import type { AnalyzerKind, ContentAnalyzer, SimilarityCalculator } from '../../../subgraphs/history/analyzers/index.js';

const names = (plugins: ReadonlyArray<{ name: string }>): string[] => plugins.map((p) => p.name);

/** A plugin defined outside the analyzers folder: exact string equality. */
const exactMatch: SimilarityCalculator = {
  name: 'exact',
  version: '0.1.0',
  compare: (left, right) => (left === right ? 1 : 0),
};

describe('analyzer registry', () => {
  it('registers the built-ins by name in the default registry', () => {
    const registry = defaultRegistry();
    expect(names(registry.list('analyzer'))).toEqual(['basic-metrics']);
    expect(names(registry.list('assessor'))).toEqual(['heuristic']);
    expect(names(registry.list('similarity'))).toEqual(['tfidf-cosine', 'jaccard', 'edit-distance']);
    expect(registry.get('analyzer', 'basic-metrics')).toBe(basicMetricsAnalyzer);
    expect(registry.get('assessor', 'heuristic')).toBe(heuristicAssessor);
    expect(registry.get('similarity', 'tfidf-cosine')).toBe(tfidfCosineSimilarity);
  });

  it('returns undefined for an unknown name and keeps kinds apart', () => {
    const registry = defaultRegistry();
    expect(registry.get('similarity', 'nope')).toBeUndefined();
    expect(registry.get('similarity', 'basic-metrics')).toBeUndefined();
  });

  it('starts empty and lists plugins in registration order', () => {
    const registry = createAnalyzerRegistry();
    expect(registry.list('similarity')).toEqual([]);
    registry.register('similarity', exactMatch).register('similarity', tfidfCosineSimilarity);
    expect(names(registry.list('similarity'))).toEqual(['exact', 'tfidf-cosine']);
  });

  it('rejects a second plugin with the same name in a kind', () => {
    const registry = defaultRegistry();
    expect(() => registry.register('similarity', { ...exactMatch, name: 'jaccard' })).toThrow(/similarity calculator named "jaccard" is already registered/);
  });

  it('rejects malformed plugins and unknown kinds', () => {
    const registry = createAnalyzerRegistry();
    const noName = { name: ' ', version: '1', analyze: (text: string) => basicMetricsAnalyzer.analyze(text) };
    expect(() => registry.register('analyzer', noName)).toThrow(/non-empty name/);
    const noVersion = { ...exactMatch, version: '' };
    expect(() => registry.register('similarity', noVersion)).toThrow(/non-empty version/);
    const wrongShape = { name: 'x', version: '1' } as unknown as ContentAnalyzer;
    expect(() => registry.register('analyzer', wrongShape)).toThrow(/must implement analyze\(\)/);
    expect(() => registry.list('bogus' as AnalyzerKind)).toThrow(/Unknown analyzer kind "bogus"/);
  });

  it('gives every caller its own default registry', () => {
    const first = defaultRegistry();
    first.register('similarity', exactMatch);
    expect(defaultRegistry().get('similarity', 'exact')).toBeUndefined();
  });
});

describe('analyzer selection', () => {
  it('selects the built-in defaults when nothing is configured', () => {
    const selection = selectAnalyzers();
    expect(selection.analyzer).toBe(basicMetricsAnalyzer);
    expect(selection.assessor).toBe(heuristicAssessor);
    expect(names(selection.similarity)).toEqual(['tfidf-cosine', 'jaccard', 'edit-distance']);
  });

  it('selects plugins by name in configured order, without duplicates', () => {
    const selection = selectAnalyzers({ similarity: ['edit-distance', 'jaccard', 'edit-distance'] });
    expect(names(selection.similarity)).toEqual(['edit-distance', 'jaccard']);
  });

  it('selects a newly registered plugin with no other change', () => {
    const shouting: ContentAnalyzer = {
      name: 'shouting',
      version: '0.0.1',
      analyze: (text) => ({ ...basicMetricsAnalyzer.analyze(text), sentiment: 1 }),
    };
    const registry = defaultRegistry().register('analyzer', shouting).register('similarity', exactMatch);
    const selection = selectAnalyzers({ analyzer: 'shouting', similarity: ['exact'] }, registry);
    expect(selection.analyzer).toBe(shouting);
    expect(selection.similarity).toEqual([exactMatch]);
    expect(selection.analyzer.analyze('plain').sentiment).toBe(1);
  });

  it('names the available plugins when a name is unknown', () => {
    expect(() => selectAnalyzers({ similarity: ['tfidf-cosine', 'cosine'] })).toThrow(
      'Unknown similarity calculator "cosine"; available: edit-distance, jaccard, tfidf-cosine',
    );
    expect(() => selectAnalyzers({ analyzer: 'gpt' })).toThrow('Unknown content analyzer "gpt"; available: basic-metrics');
    expect(() => selectAnalyzers({ assessor: 'strict' })).toThrow('Unknown quality assessor "strict"; available: heuristic');
    expect(() => selectAnalyzers({}, createAnalyzerRegistry())).toThrow('Unknown content analyzer "basic-metrics"; none are registered');
  });

  it('requires at least one similarity calculator', () => {
    expect(() => selectAnalyzers({ similarity: [] })).toThrow(/at least one similarity calculator; available: edit-distance, jaccard, tfidf-cosine/);
  });
});
