/**
 * Public API of the history subgraph's analyzers: plugin contracts, the registry and
 * configuration-driven selection, the built-in plugins, content comparison, and the analysis
 * threads the built-in plugins run on.
 */
export type {
  AnalyzerKind,
  AnalyzerKinds,
  AnalyzerPlugin,
  ContentAnalyzer,
  ContentMetrics,
  QualityAssessor,
  QualityDimension,
  QualityInput,
  QualityResult,
  SimilarityCalculator,
} from './contract.js';
export type { AnalyzerConfig, AnalyzerRegistry, AnalyzerSelection } from './registry.js';
export { createAnalyzerRegistry, defaultRegistry, selectAnalyzers, DEFAULT_ANALYZER, DEFAULT_ASSESSOR, DEFAULT_SIMILARITY } from './registry.js';
export { basicMetricsAnalyzer, computeBasicMetrics, EMPTY_METRICS, fleschReadingEase } from './content/basic-metrics.js';
export type { SentimentTally } from './content/sentiment.js';
export { tallySentiment, sentimentScore } from './content/sentiment.js';
export type { HeuristicAssessorOptions, HeuristicAssessorOverrides, HeuristicDimension } from './quality/heuristic-assessor.js';
export { createHeuristicAssessor, heuristicAssessor, DEFAULT_HEURISTIC_OPTIONS } from './quality/heuristic-assessor.js';
export { tfidfCosine, tfidfCosineSimilarity, smoothedIdf } from './similarity/tfidf-cosine.js';
export { jaccardIndex, jaccardSimilarity } from './similarity/jaccard.js';
export { editDistanceRatio, editDistanceSimilarity } from './similarity/edit-distance.js';
export { bandedLevenshtein, boundedLevenshtein, EXACT_DISTANCE_CELLS, levenshtein } from './similarity/levenshtein.js';
export type { ComparisonPlugins, ContentComparison, MetricDeltas, SimilarityScore, Winner } from './compare.js';
export { compareContents, measureContents, metricDeltas, pickWinner } from './compare.js';
export type { AnalysisPoolOptions } from './worker-pool/analysis-pool.js';
export { AnalysisPool, AnalysisTimeoutError, DEFAULT_ANALYSIS_TIMEOUT_MS, defaultAnalysisThreads } from './worker-pool/analysis-pool.js';
export type { PluginRunner } from './worker-pool/plugin-runner.js';
export { createPluginRunner } from './worker-pool/plugin-runner.js';
export { tokenizeWords, tokenizeSentences } from './text/tokenize.js';
export { estimateSyllables } from './text/syllables.js';
