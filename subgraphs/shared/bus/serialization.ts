import type { RecordedEvent } from '../event-store/contract.js';

/** Wire form of a batch of events of one category: JSON with `occurredAt` as ISO-8601. */
export function encodeEvents(events: readonly RecordedEvent[]): string {
  return JSON.stringify(events);
}

/** Inverse of {@link encodeEvents}. */
export function decodeEvents(message: string): RecordedEvent[] {
  const parsed = JSON.parse(message) as Array<Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string }>;
  return parsed.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt) }));
}
