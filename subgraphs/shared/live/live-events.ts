import type { EventBus } from '../bus/contract.js';
import { badInput } from '../errors/codes.js';
import { isAfter, type EventStore, type LogCursor, type RecordedEvent } from '../event-store/contract.js';
import { AsyncQueue } from './async-queue.js';

export interface LiveEventsOptions {
  /** Stream categories to follow. */
  readonly categories: readonly string[];
  /** Resume after this global position: replay what followed it from the store, then go live. */
  readonly after?: string | null;
  /** Keep only the events this returns true for. */
  readonly filter?: (event: RecordedEvent) => boolean;
  readonly replayPageSize?: number;
}

/**
 * Events of some categories as one ordered, duplicate-free sequence handed to `onEvent`: optional
 * replay from the store after a position, then live events from the bus. The bus subscription opens
 * before the replay, so nothing published meanwhile is missed, and every event is passed on only
 * if it comes after the last one delivered in (transactionId, position) order, so nothing is
 * delivered twice. Resolves, once the replay is done, with the function that stops it.
 */
export async function followEvents(
  store: EventStore,
  bus: EventBus,
  options: LiveEventsOptions,
  onEvent: (event: RecordedEvent) => void,
): Promise<() => void> {
  const filter = options.filter ?? (() => true);
  let last: LogCursor | undefined;
  let replaying = options.after != null;
  const buffered: RecordedEvent[] = [];

  const deliver = (event: RecordedEvent) => {
    if (last && !isAfter(event, last)) return;
    // The event is its own cursor: no object per event and subscriber.
    last = event;
    if (filter(event)) onEvent(event);
  };

  const unsubscribes = await Promise.all(
    options.categories.map((category) =>
      bus.subscribe(category, (event) => {
        if (replaying) buffered.push(event);
        else deliver(event);
      }),
    ),
  );
  const stop = () => {
    for (const unsubscribe of unsubscribes) void unsubscribe();
  };

  if (options.after != null) {
    try {
      const start = await store.cursorAt(options.after);
      if (!start) throw badInput(`no event at position ${options.after}`, 'after');
      last = start;
      for (;;) {
        const page = await store.readAll(last, { categories: options.categories, limit: options.replayPageSize ?? 500 });
        if (page.length === 0) break;
        for (const event of page) deliver(event);
      }
    } catch (error) {
      stop();
      throw error;
    }
    replaying = false;
    for (const event of buffered.splice(0)) deliver(event);
  }
  return stop;
}

/** {@link followEvents} as an async iterator, for GraphQL subscriptions. */
export async function liveEvents(
  store: EventStore,
  bus: EventBus,
  options: LiveEventsOptions,
): Promise<AsyncIterableIterator<RecordedEvent>> {
  const output = new AsyncQueue<RecordedEvent>();
  const stop = await followEvents(store, bus, options, (event) => output.push(event));
  const iterator: AsyncIterableIterator<RecordedEvent> = {
    next: () => output.next(),
    return: async () => {
      stop();
      return output.return();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Maps an async iterator, closing the source when the consumer stops. */
export function mapAsync<T, U>(source: AsyncIterableIterator<T>, map: (item: T) => Promise<U | undefined> | U | undefined): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        const item = await source.next();
        if (item.done) return { value: undefined, done: true };
        const mapped = await map(item.value);
        if (mapped !== undefined) return { value: mapped, done: false };
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
