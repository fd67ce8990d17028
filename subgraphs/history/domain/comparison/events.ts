import type { ContentMetrics, MetricDeltas, SimilarityScore, Winner } from '../../analyzers/index.js';
import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { PluginRef } from '../entry/events.js';

/** A compared side as recorded: the version and the quality score the winner was chosen by. */
export interface RecordedSide {
  readonly entryId: string;
  readonly version: number;
  readonly model: string;
  /** Quality score 0..1 of this version by the comparison's assessor. */
  readonly quality: number;
}

/** A comparison of two entry versions, with every measure computed at decide time. */
export type ComparisonRecorded = DomainEvent<
  'ComparisonRecorded',
  {
    readonly comparisonId: string;
    readonly left: RecordedSide;
    readonly right: RecordedSide;
    /** Primary similarity (the first configured calculator; TF-IDF cosine by default). */
    readonly similarity: number;
    readonly jaccard: number;
    readonly editDistanceRatio: number;
    readonly scores: readonly SimilarityScore[];
    readonly leftMetrics: ContentMetrics;
    readonly rightMetrics: ContentMetrics;
    /** right − left per metric. */
    readonly metricDeltas: MetricDeltas;
    readonly winner: Winner;
    /** Entry id of the winner; null on a tie. */
    readonly winnerEntryId: string | null;
    readonly analyzer: PluginRef;
    readonly assessor: PluginRef;
  }
>;

export type ComparisonEvent = ComparisonRecorded;
