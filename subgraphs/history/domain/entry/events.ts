import type { ContentMetrics, QualityDimension } from '../../analyzers/index.js';
import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { EntrySubject } from './commands.js';

/** Which plugin produced a result: its registry name and algorithm version. */
export interface PluginRef {
  readonly name: string;
  readonly version: string;
}

/** A new entry at content version 1, with the metrics the configured analyzer computed. */
export type EntryCreated = DomainEvent<
  'EntryCreated',
  {
    readonly entryId: string;
    readonly version: 1;
    readonly model: string;
    readonly prompt: string | null;
    readonly content: string;
    readonly subject: EntrySubject | null;
    readonly metrics: ContentMetrics;
    readonly analyzer: PluginRef;
  }
>;

/** A new content version; earlier versions stay in the stream (time travel). */
export type EntryUpdated = DomainEvent<
  'EntryUpdated',
  {
    readonly entryId: string;
    readonly version: number;
    readonly prompt: string | null;
    readonly content: string;
    readonly metrics: ContentMetrics;
    readonly analyzer: PluginRef;
  }
>;

/** Soft delete at content version `version`. */
export type EntryDeleted = DomainEvent<
  'EntryDeleted',
  {
    readonly entryId: string;
    readonly model: string;
    readonly version: number;
    readonly reason: string | null;
  }
>;

/** A quality assessment of content version `entryVersion`. */
export type QualityAssessed = DomainEvent<
  'QualityAssessed',
  {
    readonly assessmentId: string;
    readonly entryId: string;
    readonly entryVersion: number;
    readonly model: string;
    readonly score: number;
    readonly dimensions: readonly QualityDimension[];
    readonly assessor: PluginRef;
    readonly jobId: string | null;
  }
>;

/** Every event of an entry stream. */
export type EntryEvent = EntryCreated | EntryUpdated | EntryDeleted | QualityAssessed;

export const ENTRY_EVENT_TYPES: ReadonlyArray<EntryEvent['type']> = ['EntryCreated', 'EntryUpdated', 'EntryDeleted', 'QualityAssessed'];
