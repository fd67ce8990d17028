import type { ContentMetrics, SimilarityCalculator } from './contract.js';
import type { PluginRunner } from './worker-pool/plugin-runner.js';
import type { AnalyzerSelection } from './registry.js';
import { selectAnalyzers } from './registry.js';
import { editDistanceSimilarity } from './similarity/edit-distance.js';
import { jaccardSimilarity } from './similarity/jaccard.js';
import { round4 } from './text/numeric.js';

/** Per-metric difference `right − left`, rounded to 4 decimals. */
export type MetricDeltas = { readonly [K in keyof ContentMetrics]: number };

/** Score of one selected similarity calculator. */
export interface SimilarityScore {
  /** Calculator name, e.g. `"tfidf-cosine"`. */
  readonly name: string;
  /** Calculator version. */
  readonly version: string;
  /** Similarity 0..1, rounded to 4 decimals. */
  readonly value: number;
}

/** Result of {@link compareContents}. Similarities are 0..1, rounded to 4 decimals. */
export interface ContentComparison {
  /** Primary similarity: the first selected calculator (TF-IDF cosine by default). */
  readonly similarity: number;
  /** Jaccard index of the word sets (always the built-in algorithm). */
  readonly jaccard: number;
  /** Normalised character-level Levenshtein similarity (always the built-in algorithm). */
  readonly editDistanceRatio: number;
  /** Every selected similarity calculator's score, in selection order. */
  readonly scores: readonly SimilarityScore[];
  /** Metrics of the left text, from the selected content analyzer. */
  readonly leftMetrics: ContentMetrics;
  /** Metrics of the right text, from the selected content analyzer. */
  readonly rightMetrics: ContentMetrics;
  /** `rightMetrics − leftMetrics`, per metric. */
  readonly metricDeltas: MetricDeltas;
}

/**
 * The parts of a selection a comparison uses. `jaccard` and `editDistance` compute the fixed
 * `jaccard` and `editDistanceRatio` fields: the built-ins unless given (a plugin given here must
 * answer exactly what the built-in does, e.g. results the built-in computed beforehand).
 */
export type ComparisonPlugins = Pick<AnalyzerSelection, 'analyzer' | 'similarity'> & {
  readonly jaccard?: SimilarityCalculator;
  readonly editDistance?: SimilarityCalculator;
};

const METRIC_KEYS: ReadonlyArray<keyof ContentMetrics> = [
  'words',
  'sentences',
  'averageWordLength',
  'averageSentenceLength',
  'lexicalDiversity',
  'readability',
  'sentiment',
];

/** `right − left` for every metric, rounded to 4 decimals. */
export function metricDeltas(left: ContentMetrics, right: ContentMetrics): MetricDeltas {
  const deltas = {} as Record<keyof ContentMetrics, number>;
  for (const key of METRIC_KEYS) deltas[key] = round4(right[key] - left[key]);
  return deltas;
}

/**
 * Every calculator a comparison runs, once each: the selected ones in order, then the fixed
 * Jaccard and edit-distance ones unless they are among them. The primary is the first.
 */
function calculatorsOf(plugins: ComparisonPlugins): {
  all: SimilarityCalculator[];
  primary: SimilarityCalculator;
  jaccard: SimilarityCalculator;
  editDistance: SimilarityCalculator;
} {
  const [primary] = plugins.similarity;
  if (primary === undefined) throw new Error('compareContents needs a similarity calculator');
  const jaccard = plugins.jaccard ?? jaccardSimilarity;
  const editDistance = plugins.editDistance ?? editDistanceSimilarity;
  return { all: [...new Set([...plugins.similarity, jaccard, editDistance])], primary, jaccard, editDistance };
}

/** The comparison from each calculator's raw score and both sides' metrics. */
function assemble(
  plugins: ComparisonPlugins,
  raw: ReadonlyMap<SimilarityCalculator, number>,
  leftMetrics: ContentMetrics,
  rightMetrics: ContentMetrics,
): ContentComparison {
  const { primary, jaccard, editDistance } = calculatorsOf(plugins);
  const score = (calculator: SimilarityCalculator) => round4(raw.get(calculator)!);
  return {
    similarity: score(primary),
    jaccard: score(jaccard),
    editDistanceRatio: score(editDistance),
    scores: plugins.similarity.map((calculator) => ({ name: calculator.name, version: calculator.version, value: score(calculator) })),
    leftMetrics,
    rightMetrics,
    metricDeltas: metricDeltas(leftMetrics, rightMetrics),
  };
}

/**
 * Compares two contents with the selected plugins (the built-in defaults unless given):
 * metrics of both sides from `plugins.analyzer`, each selected similarity calculator's score,
 * the Jaccard and edit-distance ratios (reusing the built-ins' scores when they are selected),
 * and the metric deltas. It does not pick a winner; that is decided by quality scores (see
 * {@link pickWinner}).
 */
export function compareContents(left: string, right: string, plugins: ComparisonPlugins = selectAnalyzers()): ContentComparison {
  const raw = new Map(calculatorsOf(plugins).all.map((calculator) => [calculator, calculator.compare(left, right)]));
  return assemble(plugins, raw, plugins.analyzer.analyze(left), plugins.analyzer.analyze(right));
}

/** {@link compareContents} with every plugin call made through `runner` (e.g. on analysis threads), all at once. */
export async function measureContents(
  left: string,
  right: string,
  plugins: ComparisonPlugins,
  runner: Pick<PluginRunner, 'analyze' | 'compare'>,
): Promise<ContentComparison> {
  const calculators = calculatorsOf(plugins).all;
  const [[leftMetrics, rightMetrics], scores] = await Promise.all([
    Promise.all([runner.analyze(plugins.analyzer, left), runner.analyze(plugins.analyzer, right)]),
    Promise.all(calculators.map((calculator) => runner.compare(calculator, left, right))),
  ]);
  const raw = new Map(calculators.map((calculator, index) => [calculator, scores[index]!]));
  return assemble(plugins, raw, leftMetrics, rightMetrics);
}

/** Outcome of a comparison by quality score. */
export type Winner = 'LEFT' | 'RIGHT' | 'TIE';

/**
 * The side with the higher quality score. A missing (or NaN) score loses to a present one;
 * two missing scores, or scores within 1e-9 of each other, are a `TIE`.
 */
export function pickWinner(leftScore?: number, rightScore?: number): Winner {
  const left = leftScore === undefined || Number.isNaN(leftScore) ? undefined : leftScore;
  const right = rightScore === undefined || Number.isNaN(rightScore) ? undefined : rightScore;
  if (left === undefined) return right === undefined ? 'TIE' : 'RIGHT';
  if (right === undefined) return 'LEFT';
  if (Math.abs(left - right) <= 1e-9) return 'TIE';
  return left > right ? 'LEFT' : 'RIGHT';
}
