import type { RecordedEvent, RecordedEventJson } from '../event-store/contract.js';

/**
 * An event as the bus carries it: its stream (which picks the channel) and its JSON. The publisher
 * has the database write this JSON as it reads the log (`readAllJson`), so events cross the
 * process without being parsed and re-serialised.
 */
export type WireEvent = Pick<RecordedEventJson, 'streamId' | 'json'>;

/** The wire form of an event built in the process (tests, tools). */
export function toWire(event: RecordedEvent): WireEvent {
  return { streamId: event.streamId, json: JSON.stringify(event) };
}

/** One bus message: a JSON array of events of one category. */
export function encodeEvents(events: readonly WireEvent[]): string {
  return `[${events.map((event) => event.json).join(',')}]`;
}

/** Inverse of {@link encodeEvents}. */
export function decodeEvents(message: string): RecordedEvent[] {
  const parsed = JSON.parse(message) as Array<Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string | Date }>;
  for (const event of parsed) event.occurredAt = new Date(event.occurredAt);
  return parsed as RecordedEvent[];
}
