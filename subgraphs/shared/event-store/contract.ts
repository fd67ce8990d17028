import type { DomainEvent } from '../decider/decider.js';

/** Who and what caused an event; travels router → subgraph → event → bus message. */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
  readonly idempotencyKey?: string;
  /** W3C trace context of the request that appended the event, when it was traced. */
  readonly traceparent?: string;
}

/** Where an event is recorded: its place in its stream and in the global log, and who caused it. */
export interface EventRecord {
  /** Global position (bigint as a decimal string), unique across all streams. */
  readonly position: string;
  /**
   * Id of the database transaction that wrote the event (decimal string). Readers order by
   * (transactionId, position) so that transactions committing out of order are never skipped.
   */
  readonly transactionId: string;
  readonly streamId: string;
  /** 1-based version of the event inside its stream. */
  readonly version: number;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
}

/**
 * An event as stored: a domain event of union `Event` plus where it is recorded. It distributes
 * over the union, so checking `type` narrows `data`. Untyped (`data: unknown`) unless it was read
 * through an `EventSchema` (event-schema.ts), which checks its type and upcasts its data to the current shape.
 */
export type RecordedEvent<Event extends DomainEvent = DomainEvent> = Event & EventRecord;

/** What the stream must look like for an append to go through. */
export type ExpectedVersion = 'ANY' | 'NO_STREAM' | 'STREAM_EXISTS' | number;

export interface AppendOptions {
  /** Defaults to ANY. A mismatch throws a CONCURRENCY_CONFLICT DomainError with `currentVersion`. */
  readonly expectedVersion?: ExpectedVersion;
  readonly metadata?: EventMetadata;
}

export interface AppendResult<Event extends DomainEvent = DomainEvent> {
  /** The stream's version after the append. */
  readonly nextExpectedVersion: number;
  readonly events: Array<RecordedEvent<Event>>;
}

export interface ReadStreamOptions {
  /** Only events with a version above this one. */
  readonly afterVersion?: number;
  /** Only events that occurred at or before this instant (time travel). */
  readonly until?: Date;
}

/** A point in the global log: events strictly after it are read next. */
export interface LogCursor {
  readonly transactionId: string;
  readonly position: string;
}

/** The start of the log: every event comes after it. */
export const LOG_START: LogCursor = { transactionId: '0', position: '0' };

export interface ReadAllOptions {
  readonly limit?: number;
  /** Only events of streams whose id starts with one of these `<category>-` prefixes. */
  readonly categories?: readonly string[];
}

/**
 * The event store contract, typed by the event union `Event` it reads and appends. Implementations
 * must make `appendToStream` atomic (all events or none) and `readAll` commit-safe: it returns only
 * events whose transactions can no longer be overtaken by an older running transaction, in
 * (transactionId, position) order. Every event read is decoded by the store's `EventSchema` (event-schema.ts)
 * (its type checked, its data upcast to the current shape); the untyped store (`Event` left as
 * `DomainEvent`) returns events as stored.
 */
export interface EventStore<Event extends DomainEvent = DomainEvent> {
  appendToStream(streamId: string, events: readonly Event[], options?: AppendOptions): Promise<AppendResult<Event>>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<Array<RecordedEvent<Event>>>;
  /** Current version of a stream, 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  readAll(after: LogCursor, options?: ReadAllOptions): Promise<Array<RecordedEvent<Event>>>;
  /** The log cursor of the event at a global position, to resume after it; undefined if unknown. */
  cursorAt(position: string): Promise<LogCursor | undefined>;
}

export const cursorOf = (event: Pick<RecordedEvent, 'transactionId' | 'position'>): LogCursor => ({
  transactionId: event.transactionId,
  position: event.position,
});

/**
 * Consecutive events of one stream category as one JSON array of their {@link RecordedEvent}s
 * (`occurredAt` as ISO-8601): how the publisher hands a page of the log to the bus.
 */
export interface EncodedRun {
  readonly category: string;
  readonly count: number;
  readonly json: string;
}

/** A page of the log as runs of one category, in log order, and the cursor of its last event. */
export interface EncodedLogPage {
  readonly count: number;
  readonly runs: readonly EncodedRun[];
  /** Undefined when the page is empty. */
  readonly last: LogCursor | undefined;
}

/** Total order of the log: true when `a` comes strictly after `b`. */
export function isAfter(a: LogCursor, b: LogCursor): boolean {
  const byTransaction = compareDecimal(a.transactionId, b.transactionId);
  return byTransaction !== 0 ? byTransaction > 0 : compareDecimal(a.position, b.position) > 0;
}

/**
 * Compares two non-negative decimal integers written without leading zeros (as PostgreSQL writes
 * int8), without converting them: every live subscriber runs this for every event it is offered.
 */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<category>-<id>`: the category is everything before the first dash. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
