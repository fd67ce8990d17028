import { defineEvents, type EventSchema } from '../../shared/event-store/event-schema.js';
import type { AnalysisEvent } from './analysis/events.js';
import type { ComparisonEvent } from './comparison/events.js';
import type { EntryEvent } from './entry/events.js';

/** The events of an `entry-<id>` stream (no history event type has changed shape yet: none is upcast). */
export const ENTRY_EVENTS: EventSchema<EntryEvent> = defineEvents<EntryEvent>({
  EntryCreated: true,
  EntryUpdated: true,
  EntryDeleted: true,
  QualityAssessed: true,
});

/** The events of a `comparison-<id>` stream. */
export const COMPARISON_EVENTS: EventSchema<ComparisonEvent> = defineEvents<ComparisonEvent>({ ComparisonRecorded: true });

/** The events of an `analysis-<jobId>` stream. */
export const ANALYSIS_EVENTS: EventSchema<AnalysisEvent> = defineEvents<AnalysisEvent>({
  AnalysisStarted: true,
  AnalysisProgressed: true,
  AnalysisCompleted: true,
  AnalysisFailed: true,
});
