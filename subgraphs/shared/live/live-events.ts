import type { EventBus } from '../bus/contract.js';
import type { DomainEvent } from '../decider/decider.js';
import type { EventStore, RecordedEvent } from '../event-store/contract.js';
import { endingWith } from './iterators.js';
import { LiveFeed, type CheckedLiveEventsOptions } from './live-feed.js';

export type { CheckedLiveEventsOptions, LiveEventsOptions } from './live-feed.js';
export { mapAsync } from './iterators.js';

/**
 * One subscription's events on a feed of its own (tools and tests; a process shares one
 * {@link LiveFeed} among its subscriptions, so that their catch-up reads are shared): optional
 * replay from the store after `after`, then live events from the bus, in log order, each once,
 * gap-free whatever the bus loses. The feed ends with the iterator.
 */
export async function liveEvents<Event extends DomainEvent = DomainEvent>(
  store: EventStore,
  bus: EventBus,
  options: CheckedLiveEventsOptions<Event>,
): Promise<AsyncIterableIterator<RecordedEvent<Event>>> {
  const feed = new LiveFeed({ store, bus, ...(options.replayPageSize ? { limits: { pageSize: options.replayPageSize } } : {}) });
  try {
    return endingWith(await feed.events(options), () => feed.close());
  } catch (error) {
    feed.close();
    throw error;
  }
}
