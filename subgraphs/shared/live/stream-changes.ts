import type { CommitNoticeChannel, EventBus } from '../bus/contract.js';
import { streamCategory, type EventStore } from '../event-store/contract.js';
import { AsyncQueue } from './async-queue.js';
import { liveEvents } from './live-events.js';

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
 * Every change of one stream, as soon as the platform can tell: each commit notice of the stream
 * as it arrives, and each of its events in log order (replayed after `after`, then live). A read
 * model kept as a snapshot reads itself again on each. The notices make that prompt: they do not
 * wait for the log to be commit-safe. The events make it certain: a lost notice is made up for
 * when its events arrive. So most changes come twice, and consumers read the snapshot again
 * rather than count what they receive.
 */
export async function streamChanges(
  store: EventStore,
  bus: EventBus & CommitNoticeChannel,
  options: StreamChangesOptions,
): Promise<AsyncIterableIterator<StreamChange>> {
  const output = new AsyncQueue<StreamChange>();
  const category = streamCategory(options.streamId);
  // Notices first: a change committed while the events are being replayed is not missed.
  const stopNotices = await bus.subscribeNotices(category, (notice) => {
    if (notice.streamId === options.streamId) output.push(notice);
  });
  let events: AsyncIterableIterator<StreamChange>;
  try {
    events = await liveEvents(store, bus, {
      categories: [category],
      after: options.after ?? null,
      filter: (event) => event.streamId === options.streamId,
    });
  } catch (error) {
    await stopNotices();
    throw error;
  }
  void (async () => {
    try {
      for (;;) {
        const next = await events.next();
        if (next.done) break;
        output.push(next.value);
      }
      output.close();
    } catch (error) {
      output.close(error);
    }
  })();

  const iterator: AsyncIterableIterator<StreamChange> = {
    next: () => output.next(),
    return: async () => {
      await Promise.all([stopNotices(), events.return?.()]);
      return output.return();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
