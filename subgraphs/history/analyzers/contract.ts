/**
 * Plugin contracts of the history subgraph's analyzers. Every plugin is a plain object with a
 * `name` (its key in the registry) and a `version` (recorded next to the results it produced, so
 * a stored assessment can be traced back to the algorithm that made it). Plugins are pure and
 * deterministic: the same input always gives the same output, with no I/O and no clock.
 */

/** Identity shared by every analyzer plugin. */
export interface AnalyzerPlugin {
  /** Unique name within the plugin's kind, e.g. `"tfidf-cosine"`. */
  readonly name: string;
  /** Version of the algorithm, e.g. `"1.0.0"`; bump it whenever results can change. */
  readonly version: string;
}

/** Descriptive statistics of one text. Every field is a finite number (never NaN/Infinity). */
export interface ContentMetrics {
  /** Number of word tokens. */
  readonly words: number;
  /** Number of sentences that contain at least one word. */
  readonly sentences: number;
  /** Mean word length in Unicode code points. */
  readonly averageWordLength: number;
  /** Mean number of words per sentence. */
  readonly averageSentenceLength: number;
  /** Distinct (case-folded) words divided by words, 0..1. */
  readonly lexicalDiversity: number;
  /** Flesch reading ease; unbounded by the formula (about 0..120 for ordinary prose). */
  readonly readability: number;
  /** Lexicon-based polarity, -1 (negative) .. 1 (positive); 0 when nothing matched. */
  readonly sentiment: number;
}

/** Turns a text into {@link ContentMetrics}. */
export interface ContentAnalyzer extends AnalyzerPlugin {
  /** Metrics of `text`; any string (including empty) yields finite numbers. */
  analyze(text: string): ContentMetrics;
}

/** What a {@link QualityAssessor} judges: the content, the prompt that produced it, its metrics. */
export interface QualityInput {
  /** The text being judged. */
  readonly content: string;
  /** Prompt the content answers; relevance is only judged when it has words. */
  readonly prompt?: string;
  /** Metrics of `content`, as computed by the selected {@link ContentAnalyzer}. */
  readonly metrics: ContentMetrics;
}

/** Score of one quality dimension, 0..1. */
export interface QualityDimension {
  /** Dimension name, e.g. `"readability"`. */
  readonly name: string;
  readonly score: number;
}

/** Overall quality: `score` 0..1 plus the per-dimension scores it was derived from. */
export interface QualityResult {
  /** Weighted overall score, 0..1. */
  readonly score: number;
  /** The dimension scores the overall score was derived from. */
  readonly dimensions: readonly QualityDimension[];
}

/** Scores the quality of a text. */
export interface QualityAssessor extends AnalyzerPlugin {
  /** Scores `input.content`; `score` and every dimension score lie in 0..1. */
  assess(input: QualityInput): QualityResult;
}

/** Measures how alike two texts are: 1 identical, 0 nothing in common. Must be symmetric. */
export interface SimilarityCalculator extends AnalyzerPlugin {
  /** Similarity of the two texts, 0..1, with `compare(a, b) === compare(b, a)`. */
  compare(left: string, right: string): number;
}

/** Plugin type of each registry kind. */
export interface AnalyzerKinds {
  analyzer: ContentAnalyzer;
  assessor: QualityAssessor;
  similarity: SimilarityCalculator;
}

/** A registry kind: `"analyzer"`, `"assessor"` or `"similarity"`. */
export type AnalyzerKind = keyof AnalyzerKinds;
