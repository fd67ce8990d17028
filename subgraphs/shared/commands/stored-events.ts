import type { DomainEvent } from '../decider/decider.js';
import type { RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';

/** A recorded event as an idempotency record keeps it: JSON, its instant in ISO form. */
export type StoredEvent = Omit<RecordedEvent, 'occurredAt'> & { occurredAt: string };

/** Events as a first run stores them for its replays. */
export function storedEvents(events: readonly RecordedEvent[]): StoredEvent[] {
  return events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() }));
}

/**
 * Stored events back as recorded events. A replay's events come from the idempotency record, as
 * JSON the first run wrote, perhaps long ago: they are decoded like any stored event.
 */
export function revivedEvents<Event extends DomainEvent>(events: EventSchema<Event>, stored: readonly StoredEvent[]): Array<RecordedEvent<Event>> {
  return stored.map((event) => events.decode({ ...event, occurredAt: new Date(event.occurredAt) }));
}
