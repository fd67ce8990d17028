import type { ContentComparison, Winner } from '../../analyzers/index.js';
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

/**
 * A comparison of two entry versions, with every measure computed at decide time (the similarity
 * and metric fields are the analyzers' ContentComparison, as computed).
 */
export type ComparisonRecorded = DomainEvent<
  'ComparisonRecorded',
  ContentComparison & {
    readonly comparisonId: string;
    readonly left: RecordedSide;
    readonly right: RecordedSide;
    readonly winner: Winner;
    /** Entry id of the winner; null on a tie. */
    readonly winnerEntryId: string | null;
    readonly analyzer: PluginRef;
    readonly assessor: PluginRef;
  }
>;

export type ComparisonEvent = ComparisonRecorded;
