import type { CommitNoticeChannel, EventBus } from '../bus/contract.js';
import { streamCategory, type EventStore } from '../event-store/contract.js';
import { endingWith } from './iterators.js';
import { LiveFeed } from './live-feed.js';

/** A stream changed, up to the event at `position`: a commit notice or the event itself. */
export interface StreamChange {
  readonly streamId: string;
  readonly position: string;
}

export interface StreamChangesOptions {
  readonly streamId: string;
  /** Resume after this global position: the stream's events after it are replayed first. */
  readonly after?: string | null;
}

/**
 * The changes of one stream, as soon as the platform can tell, for read models kept as snapshots
 * that read themselves again on each: every commit notice of the stream as it arrives, and every
 * one of its events in log order (replayed after `after`, then live, through `feed`). The notices
 * make that prompt: they do not wait for the log to be commit-safe. The events make it certain: a
 * lost notice is made up for when its events arrive.
 *
 * A snapshot needs no change twice, so what arrives while the consumer is busy is merged: `next()`
 * yields the latest change since the previous one (a batch of 1,000 events is one item, not 1,000),
 * and nothing queues up behind a slow consumer. Resolves once the replay is done.
 */
export async function followStreamChanges(
  feed: LiveFeed,
  notices: CommitNoticeChannel,
  options: StreamChangesOptions,
): Promise<AsyncIterableIterator<StreamChange>> {
  let pending: StreamChange | undefined;
  let failure: { error: unknown } | undefined;
  let waiting: { resolve: (result: IteratorResult<StreamChange>) => void; reject: (error: unknown) => void } | undefined;
  let stopped = false;
  const done: IteratorResult<StreamChange> = { value: undefined, done: true };

  const changed = (change: StreamChange) => {
    if (stopped) return;
    const waiter = waiting;
    waiting = undefined;
    if (waiter) waiter.resolve({ value: change, done: false });
    else pending = change;
  };
  const failed = (error: unknown) => {
    if (stopped) return;
    const waiter = waiting;
    waiting = undefined;
    if (waiter) waiter.reject(error);
    else failure = { error };
  };

  const category = streamCategory(options.streamId);
  // Notices first: a change committed while the events are being replayed is not missed.
  const stopNotices = await notices.subscribeNotices(category, (notice) => {
    if (notice.streamId === options.streamId) changed(notice);
  });
  let stopEvents: () => void;
  try {
    stopEvents = await feed.follow(
      { categories: [category], after: options.after ?? null, filter: (event) => event.streamId === options.streamId },
      changed,
      failed,
    );
  } catch (error) {
    await stopNotices();
    throw error;
  }

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    pending = undefined;
    stopEvents();
    await stopNotices();
    const waiter = waiting;
    waiting = undefined;
    waiter?.resolve(done);
  };

  const iterator: AsyncIterableIterator<StreamChange> = {
    next: async () => {
      if (stopped) return done;
      if (failure) {
        const { error } = failure;
        await stop();
        throw error;
      }
      const change = pending;
      pending = undefined;
      if (change) return { value: change, done: false };
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return: async () => {
      await stop();
      return done;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** {@link followStreamChanges} on a feed of its own (tools and tests); the feed ends with the iterator. */
export async function streamChanges(
  store: EventStore,
  bus: EventBus & CommitNoticeChannel,
  options: StreamChangesOptions,
): Promise<AsyncIterableIterator<StreamChange>> {
  const feed = new LiveFeed({ store, bus });
  try {
    return endingWith(await followStreamChanges(feed, bus, options), () => feed.close());
  } catch (error) {
    feed.close();
    throw error;
  }
}
