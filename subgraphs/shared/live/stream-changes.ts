import type { CommitNoticeChannel, EventBus } from '../bus/contract.js';
import { streamCategory, type EventStore } from '../event-store/contract.js';
import { followEvents } from './live-events.js';

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
 * one of its events in log order (replayed after `after`, then live). The notices make that
 * prompt: they do not wait for the log to be commit-safe. The events make it certain: a lost
 * notice is made up for when its events arrive.
 *
 * A snapshot needs no change twice, so what arrives while the consumer is busy is merged: `next()`
 * yields the latest change since the previous one (a batch of 1,000 events is one item, not 1,000).
 */
export async function streamChanges(
  store: EventStore,
  bus: EventBus & CommitNoticeChannel,
  options: StreamChangesOptions,
): Promise<AsyncIterableIterator<StreamChange>> {
  let pending: StreamChange | undefined;
  let waiting: ((result: IteratorResult<StreamChange>) => void) | undefined;
  let stopped = false;
  const done: IteratorResult<StreamChange> = { value: undefined, done: true };

  const changed = (change: StreamChange) => {
    if (stopped) return;
    const resolve = waiting;
    waiting = undefined;
    if (resolve) resolve({ value: change, done: false });
    else pending = change;
  };

  const category = streamCategory(options.streamId);
  // Notices first: a change committed while the events are being replayed is not missed.
  const stopNotices = await bus.subscribeNotices(category, (notice) => {
    if (notice.streamId === options.streamId) changed(notice);
  });
  let stopEvents: () => void;
  try {
    stopEvents = await followEvents(
      store,
      bus,
      { categories: [category], after: options.after ?? null, filter: (event) => event.streamId === options.streamId },
      changed,
    );
  } catch (error) {
    await stopNotices();
    throw error;
  }

  const iterator: AsyncIterableIterator<StreamChange> = {
    next: () => {
      if (stopped) return Promise.resolve(done);
      const change = pending;
      pending = undefined;
      if (change) return Promise.resolve({ value: change, done: false });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: async () => {
      if (!stopped) {
        stopped = true;
        pending = undefined;
        stopEvents();
        await stopNotices();
        const resolve = waiting;
        waiting = undefined;
        resolve?.(done);
      }
      return done;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
