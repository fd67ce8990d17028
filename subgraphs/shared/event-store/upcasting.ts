import type { DomainEvent } from '../decider/decider.js';

/**
 * Brings the stored data of one event type to its current shape. Events are never rewritten: old
 * shapes stay in the database, and every read brings them up to date (see EventSchema), so
 * deciders, projections and resolvers only see current shapes. `Stored` is every shape the type
 * was ever recorded with, the current one included.
 *
 * How an old shape is recognised: an event type whose shape changes starts writing
 * `schemaVersion` in its data (2 for its first change, then 3…), declared in its type, and gets an
 * upcaster; data recorded before has no `schemaVersion`. The upcaster runs on every read of its
 * type, so it must be pure and cheap for current data: check `schemaVersion` and return that same
 * object.
 */
export type Upcaster<Event extends DomainEvent, Stored = unknown> = (stored: Stored) => Event['data'];

/**
 * The upcasters of an event union, by event type: only types whose shape changed need one. Each
 * declares the shapes it takes (`Stored`); it is handed the stored data of its own type only.
 */
export type Upcasters<Event extends DomainEvent> = {
  readonly [Type in Event['type']]?: Upcaster<Extract<Event, { readonly type: Type }>, never>;
};
