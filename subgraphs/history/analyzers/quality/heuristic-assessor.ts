import type { QualityAssessor, QualityDimension, QualityInput, QualityResult } from '../contract.js';
import { clamp, round4 } from '../text/numeric.js';
import { lengthCurve, lexicalRichnessCurve, readabilityCurve, sentimentBalanceCurve, structureCurve } from './curves.js';
import { promptRelevance } from './relevance.js';

/** Names of the dimensions the heuristic assessor scores, in the order it reports them. */
export type HeuristicDimension = 'readability' | 'lexicalRichness' | 'lengthAdequacy' | 'relevance' | 'structure' | 'sentimentBalance';

/** Complete tuning of the heuristic assessor. */
export interface HeuristicAssessorOptions {
  /** Relative weight of each dimension (non-negative; they need not sum to 1). */
  readonly weights: Readonly<Record<HeuristicDimension, number>>;
  /** Word count from which length is adequate. */
  readonly minWords: number;
  /** Word count above which length starts to be penalised. */
  readonly maxWords: number;
}

/** Default weights and length range of the heuristic assessor. */
export const DEFAULT_HEURISTIC_OPTIONS: HeuristicAssessorOptions = Object.freeze({
  weights: Object.freeze({
    readability: 0.25,
    lexicalRichness: 0.15,
    lengthAdequacy: 0.15,
    relevance: 0.2,
    structure: 0.15,
    sentimentBalance: 0.1,
  }),
  minWords: 20,
  maxWords: 800,
});

/** Overrides for {@link createHeuristicAssessor}; anything left out keeps its default. */
export interface HeuristicAssessorOverrides {
  /** Weights to change; the others keep their default. */
  readonly weights?: Readonly<Partial<Record<HeuristicDimension, number>>>;
  /** Word count from which length is adequate (default 20). */
  readonly minWords?: number;
  /** Word count above which length is penalised (default 800). */
  readonly maxWords?: number;
}

/**
 * Creates a heuristic quality assessor. Each dimension is scored 0..1 by a curve of
 * `quality/curves.ts` (relevance is the share of prompt terms the content mentions, and is
 * left out when there is no prompt); the score is the weighted mean of the reported
 * dimensions, clamped to 0..1 and rounded to 4 decimals. Content without words scores 0 on
 * every dimension.
 */
export function createHeuristicAssessor(overrides: HeuristicAssessorOverrides = {}): QualityAssessor {
  const defaults = DEFAULT_HEURISTIC_OPTIONS;
  const settings: HeuristicAssessorOptions = {
    weights: { ...defaults.weights, ...overrides.weights },
    minWords: overrides.minWords ?? defaults.minWords,
    maxWords: overrides.maxWords ?? defaults.maxWords,
  };
  validate(settings);
  return Object.freeze({
    name: 'heuristic',
    version: '1.0.0',
    assess: (input: QualityInput): QualityResult => assessWith(settings, input),
  });
}

function assessWith(settings: HeuristicAssessorOptions, input: QualityInput): QualityResult {
  const { metrics } = input;
  const empty = metrics.words <= 0;
  const relevance = promptRelevance(input.content, input.prompt);
  const raw: Array<[HeuristicDimension, number | undefined]> = [
    ['readability', readabilityCurve(metrics.readability)],
    ['lexicalRichness', lexicalRichnessCurve(metrics.lexicalDiversity)],
    ['lengthAdequacy', lengthCurve(metrics.words, settings.minWords, settings.maxWords)],
    ['relevance', relevance],
    ['structure', structureCurve(metrics.averageSentenceLength)],
    ['sentimentBalance', sentimentBalanceCurve(metrics.sentiment)],
  ];
  let weighted = 0;
  let totalWeight = 0;
  const dimensions: QualityDimension[] = [];
  for (const [name, value] of raw) {
    if (value === undefined) continue;
    const score = empty ? 0 : clamp(value, 0, 1);
    weighted += settings.weights[name] * score;
    totalWeight += settings.weights[name];
    dimensions.push({ name, score: round4(score) });
  }
  const score = totalWeight === 0 ? 0 : round4(clamp(weighted / totalWeight, 0, 1));
  return { score, dimensions };
}

function validate(settings: HeuristicAssessorOptions): void {
  for (const [name, weight] of Object.entries(settings.weights)) {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new Error(`Weight of "${name}" must be a finite non-negative number, got ${weight}`);
    }
  }
  const { minWords, maxWords } = settings;
  if (!(minWords > 0 && maxWords >= minWords && Number.isFinite(maxWords))) {
    throw new Error(`Need 0 < minWords <= maxWords, got minWords=${minWords}, maxWords=${maxWords}`);
  }
}

/** The built-in quality assessor with default options, registered as `"heuristic"`. */
export const heuristicAssessor: QualityAssessor = createHeuristicAssessor();
