import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { LiveFeed, type LiveLimits } from '../../subgraphs/shared/live/live-feed.js';
import { commitSafeHead } from '../../subgraphs/shared/live/log-head.js';
import { collect, startLiveProcesses, type LiveProcess, type LiveProcesses } from '../support/live-processes.js';
import { untilSentinel } from '../support/sentinel.js';
import { HOOK_TIMEOUT_MS, expectLogOrder, settle, uniqueCategory, waitFor } from './helpers.js';

let one: LiveProcesses;
let replica: LiveProcess;
const feeds: LiveFeed[] = [];

beforeAll(async () => {
  one = await startLiveProcesses(1);
  replica = one.processes[0]!;
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const feed of feeds) feed.close();
  await one?.close();
}, HOOK_TIMEOUT_MS);

/** The store, counting `readAll` calls. */
function countingStore(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  return {
    reads: () => reads,
    store: {
      appendToStream: (streamId, events, options) => store.appendToStream(streamId, events, options),
      readStream: (streamId, options) => store.readStream(streamId, options),
      streamVersion: (streamId) => store.streamVersion(streamId),
      readAll: (after, options) => {
        reads += 1;
        return store.readAll(after, options);
      },
      cursorAt: (position) => store.cursorAt(position),
    },
  };
}

function feedOf(limits: Partial<LiveLimits>, store: EventStore = replica.store): LiveFeed {
  const feed = new LiveFeed({ store, bus: replica.bus, head: () => commitSafeHead(replica.sql), limits });
  feeds.push(feed);
  return feed;
}

/**
 * Appends a sentinel to `category` and waits until each consumer got it: consumers get the log in
 * order, so a duplicate or a stray event would be among what they got first. Returns that, per consumer.
 */
async function beforeSentinel(category: string, consumers: ReadonlyArray<{ received: RecordedEvent[] }>): Promise<RecordedEvent[][]> {
  const [sentinel] = await appendMany(category, 1, 1, 'sentinel');
  const before: RecordedEvent[][] = [];
  for (const consumer of consumers)
    before.push(
      await untilSentinel(
        consumer.received,
        () => undefined,
        (event) => event.position === sentinel!.position,
        { timeoutMs: 60_000 },
      ),
    );
  return before;
}

/** Appends `count` events to streams of `category` in batches of `batch`, waking the publisher. */
async function appendMany(category: string, count: number, batch: number, stream?: string): Promise<RecordedEvent[]> {
  const appended: RecordedEvent[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const events = Array.from({ length: size }, (_, index) => ({ type: 'Changed', data: { index: start + index } }));
    appended.push(...(await replica.store.appendToStream(`${category}-${stream ?? (start / batch) % 3}`, events)).events);
    replica.publisher.wake();
  }
  return appended;
}

describe('bounded live queues', () => {
  it(
    'ends a consumer that stops reading with SLOW_CONSUMER, holding no more than its bounds; it resumes with its last position',
    { timeout: 60_000 },
    async () => {
      const category = uniqueCategory();
      const feed = feedOf({ queue: 20, buffer: 20, maxLag: 100 });
      const iterator = await feed.events({ categories: [category] });
      const appended = await appendMany(category, 5, 5);
      const firstFive: RecordedEvent[] = [];
      for (let index = 0; index < 5; index += 1) firstFive.push((await iterator.next()).value as RecordedEvent);
      // The consumer stops reading while 300 more events come.
      appended.push(...(await appendMany(category, 300, 10)));
      await waitFor(() => feed.stats.subscriptions === 0, 30_000, 'the slow consumer to be ended');
      expect(feed.stats.peakQueued).toBeLessThanOrEqual(20);
      expect(feed.stats.peakBuffered).toBeLessThanOrEqual(20);
      const failure = await iterator.next().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(GraphQLError);
      expect((failure as GraphQLError).extensions.code).toBe('SLOW_CONSUMER');

      const resumed = collect(await feedOf({}).events({ categories: [category], after: firstFive[4]!.position }));
      const [received] = await beforeSentinel(category, [resumed]);
      await resumed.stop();
      expect(firstFive.map((event) => event.position)).toEqual(appended.slice(0, 5).map((event) => event.position));
      expect(received!.map((event) => event.position)).toEqual(appended.slice(5).map((event) => event.position));
    },
  );

  it('lets a consumer slower than the log fall behind its queue and catch up from the store, in order, without ending it', { timeout: 60_000 }, async () => {
    const category = uniqueCategory();
    const feed = feedOf({ queue: 10, buffer: 10, maxLag: 100_000 });
    const consumer = collect(await feed.events({ categories: [category] }), 2);
    const readsBefore = feed.stats.storeReads;
    const appended = await appendMany(category, 300, 50);
    const [received] = await beforeSentinel(category, [consumer]);
    await consumer.stop();
    expect(received!.map((event) => event.position)).toEqual(appended.map((event) => event.position));
    expect(feed.stats.peakQueued).toBeLessThanOrEqual(10);
    // It did fall behind: what did not fit was read from the store.
    expect(feed.stats.storeReads).toBeGreaterThan(readsBefore);
  });
});

describe('shared catch-up reads', () => {
  it(
    '200 subscriptions resuming at once from nearby positions cost about one store replay, and each gets exactly what followed its position',
    { timeout: 120_000 },
    async () => {
      const category = uniqueCategory();
      const log = await appendMany(category, 1000, 50);
      await settle(replica.sql);

      const alone = countingStore(replica.store);
      const single = collect(await feedOf({ pageSize: 100 }, alone.store).events({ categories: [category], after: log[0]!.position }));
      await waitFor(() => single.received.length >= 999, 30_000, 'one replay');
      await single.stop();
      const oneReplay = alone.reads();

      const shared = countingStore(replica.store);
      const feed = feedOf({ pageSize: 100, queue: 100 }, shared.store);
      // A router reconnecting its upstream socket: every subscription resumes after its last position.
      const resumeAt = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? 0 : index % 20));
      const consumers = (await Promise.all(resumeAt.map((at) => feed.events({ categories: [category], after: log[at]!.position })))).map((iterator) =>
        collect(iterator),
      );
      const received = await beforeSentinel(category, consumers);
      for (const [index, consumer] of consumers.entries()) {
        await consumer.stop();
        expect(received[index]!.map((event) => event.position)).toEqual(log.slice(resumeAt[index]! + 1).map((event) => event.position));
        expectLogOrder(received[index]!);
      }
      expect(oneReplay).toBeGreaterThanOrEqual(10);
      // One replay each would be 200 × oneReplay reads. Subscriptions that open while a round is
      // under way, or wait for room in their queues, join later rounds: a few replays' worth, on a
      // busy machine, never one per subscription.
      expect(shared.reads()).toBeLessThanOrEqual(5 * oneReplay);
      expect(feed.stats.peakQueued).toBeLessThanOrEqual(100);
    },
  );
});
