import type { DomainEvent } from '../decider/decider.js';
import type { RecordedEvent } from './contract.js';
import type { Upcasters } from './upcasting.js';

/** An upcaster with its event type erased, as the lookup table holds it. */
type StoredUpcaster = (stored: unknown) => unknown;

/** A stored event whose type the reading code does not know (written by newer code, or by mistake). */
export class UnknownEventTypeError extends Error {
  constructor(readonly event: Pick<RecordedEvent, 'type' | 'streamId' | 'position'>) {
    super(`event ${event.position} of stream ${event.streamId} has type ${event.type}, which its reader does not know`);
    this.name = 'UnknownEventTypeError';
  }
}

/**
 * The events of one union as stored: which types belong to it, and the upcasters that bring
 * older shapes of them to the current one. It is the single decoding boundary of the platform:
 * the event store, live subscriptions, inline projections and rebuilds all turn stored events
 * (`data: unknown`, as JSON from the database or the bus) into typed ones here, and nowhere else.
 *
 * Decoding costs one map lookup per event; a type with an upcaster also pays the upcaster's check
 * that its data is current, and only an event of an old shape is copied.
 */
export class EventSchema<Event extends DomainEvent> {
  /** Every type of the union, with its upcaster or null: one lookup checks a type and finds it. */
  private readonly upcasterByType: ReadonlyMap<string, StoredUpcaster | null>;

  /**
   * The schema of the union of `types` (see {@link defineEvents}, which checks that the list is
   * complete) with the upcasters of the types whose shape changed.
   */
  constructor(
    readonly types: ReadonlyArray<Event['type']>,
    private readonly upcasters: Upcasters<Event> = {},
  ) {
    // An upcaster declares the shapes its type was stored with, and is only handed that type's data.
    const byType = upcasters as Partial<Record<string, StoredUpcaster>>;
    this.upcasterByType = new Map(types.map((type) => [type, byType[type] ?? null]));
  }

  /** Whether events of `type` belong to the union. */
  has(type: string): type is Event['type'] {
    return this.upcasterByType.has(type);
  }

  /**
   * A stored event as an event of the union, in its current shape. Throws
   * {@link UnknownEventTypeError} when its type is not one of the union's: a stream or a read that
   * must hold only these events holds another.
   */
  decode(event: RecordedEvent): RecordedEvent<Event> {
    const upcaster = this.upcasterByType.get(event.type);
    if (upcaster === undefined) throw new UnknownEventTypeError(event);
    return current<Event>(event, upcaster);
  }

  /**
   * A stored event as an event of the union, in its current shape; undefined when its type is not
   * one of the union's (a projection or a subscription is handed only the events it declares).
   */
  select(event: RecordedEvent): RecordedEvent<Event> | undefined {
    const upcaster = this.upcasterByType.get(event.type);
    return upcaster === undefined ? undefined : current<Event>(event, upcaster);
  }

  /** The schema of some of the union's types, with their upcasters: what an aggregate or a projection declares. */
  only<Type extends Event['type']>(...types: Type[]): EventSchema<Extract<Event, { readonly type: Type }>> {
    // The same upcasters, each still keyed by its own type.
    return new EventSchema<Extract<Event, { readonly type: Type }>>(types, this.upcasters as Upcasters<Extract<Event, { readonly type: Type }>>);
  }
}

/** The schema of every event, as stored: every type belongs to it, and nothing is upcast. */
class AnyEventSchema extends EventSchema<DomainEvent> {
  constructor() {
    super([]);
  }

  override has(_type: string): _type is string {
    return true;
  }

  override decode(event: RecordedEvent): RecordedEvent {
    return event;
  }

  override select(event: RecordedEvent): RecordedEvent {
    return event;
  }
}

/**
 * The one place where a stored event becomes typed. Sound because the caller has checked that its
 * type belongs to the union, and its data is of that type's current shape: either it was recorded
 * so (by the union's own deciders and commands, the only writers of its events) or the type's
 * upcaster has just brought it there.
 */
function current<Event extends DomainEvent>(event: RecordedEvent, upcaster: StoredUpcaster | null): RecordedEvent<Event> {
  if (upcaster === null) return event as RecordedEvent<Event>;
  const data = upcaster(event.data);
  return (data === event.data ? event : { ...event, data }) as RecordedEvent<Event>;
}

/**
 * The schema of an event union: every one of its types (a record keyed by the union, so the
 * compiler rejects a missing or unknown type) and the upcasters of the types whose shape changed.
 */
export function defineEvents<Event extends DomainEvent>(
  types: { readonly [Type in Event['type']]: true },
  upcasters: Upcasters<Event> = {},
): EventSchema<Event> {
  return new EventSchema<Event>(Object.keys(types), upcasters);
}

/**
 * Every event, as stored and untyped (`data: unknown`): for platform code that reads any
 * category (the publisher, catch-up reads shared by subscriptions, tools). Typed code reads
 * through its own schema, which upcasts.
 */
export const ANY_EVENT: EventSchema<DomainEvent> = new AnyEventSchema();
