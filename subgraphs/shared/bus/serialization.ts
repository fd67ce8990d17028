import type { EncodedRun, RecordedEvent } from '../event-store/contract.js';
import { groupByCategory } from '../event-store/group-by-category.js';

export type { EncodedRun } from '../event-store/contract.js';

/**
 * Events built in the process (tests, tools) as the bus carries them: runs of consecutive events of
 * one category. The publisher gets its runs already encoded from the database (`readAllEncoded`).
 */
export function encodeRuns(events: readonly RecordedEvent[]): EncodedRun[] {
  return groupByCategory(events).map(([category, run]) => ({ category, count: run.length, json: JSON.stringify(run) }));
}

/**
 * The events of one run, with `occurredAt` back as a Date. Their data stays as stored (`unknown`):
 * each subscription decodes the events it is about with its own schema (type check, upcasting; see
 * LiveFeed), and only when it takes them, so an event no schema applies to costs no more than this.
 */
export function decodeEvents(json: string): RecordedEvent[] {
  // The JSON of a run is what the database writes for each row (see readAllEncoded) or encodeRuns.
  const parsed = JSON.parse(json) as Array<Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string | Date }>;
  for (const event of parsed) event.occurredAt = new Date(event.occurredAt);
  return parsed as RecordedEvent[];
}
