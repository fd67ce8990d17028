import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { ErrorCode } from '../../subgraphs/shared/errors/codes.js';
import type { RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { liveEvents } from '../../subgraphs/shared/live/live-events.js';
import { EventPublisher, readCheckpoint } from '../../subgraphs/shared/publisher/publisher.js';
import { createTestBus, createTestDatabase, type TestDatabase } from '../support/environment.js';
import { seededRandom } from '../support/seeded-random.js';
import { untilSentinel } from '../support/sentinel.js';
import { HOOK_TIMEOUT_MS, PositionCollector, expectLogOrder, rejectionOf, settle, sleep, uniqueCategory, waitFor } from './helpers.js';

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;
let bus: EventBus;
let publisher: EventPublisher;
/** Subscriptions currently open on the bus (to check that liveEvents releases its own). */
let openSubscriptions = 0;
const publisherName = `live-${randomUUID()}`;

beforeAll(async () => {
  testDb = await createTestDatabase({ maxConnections: 20 });
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
  const inner = createTestBus();
  if (inner instanceof RedisBus) await inner.ready();
  bus = {
    publish: (events) => inner.publish(events),
    subscribe: async (category, handler) => {
      const unsubscribe = await inner.subscribe(category, handler);
      openSubscriptions += 1;
      let open = true;
      return async () => {
        if (open) openSubscriptions -= 1;
        open = false;
        await unsubscribe();
      };
    },
    close: () => inner.close(),
  };
  publisher = new EventPublisher({ sql, bus, name: publisherName, pollIntervalMs: 25 });
  publisher.start();
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await publisher?.stop();
  await bus?.close();
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

/** Drains an iterator in the background into `received`. */
function consume(iterator: AsyncIterableIterator<RecordedEvent>): { received: RecordedEvent[]; stop: () => Promise<void> } {
  const received: RecordedEvent[] = [];
  const done = (async () => {
    for (;;) {
      const item = await iterator.next();
      if (item.done) return;
      received.push(item.value);
    }
  })();
  return {
    received,
    stop: async () => {
      await iterator.return?.();
      await done;
    },
  };
}

/** Everything in the settled log after `position` in the categories. */
async function logAfter(categories: string[], position: string): Promise<RecordedEvent[]> {
  await settle(sql);
  const cursor = await store.cursorAt(position);
  return store.readAll(cursor!, { categories, limit: 100_000 });
}

async function appendAndWake(streamId: string, count = 1, hold = 0): Promise<RecordedEvent[]> {
  const appended = await sql.transaction(async (tx) => {
    const result = await store.withClient(tx).appendToStream(
      streamId,
      Array.from({ length: count }, (_, index) => ({ type: 'Changed', data: { index } })),
    );
    if (hold > 0) await sleep(hold);
    return result.events;
  });
  publisher.wake();
  return appended;
}

/**
 * What `consumer` received before a sentinel event appended now to `category`: once the sentinel
 * (later in the log than anything else) is delivered, so is everything before it.
 */
async function beforeSentinel(consumer: { received: RecordedEvent[] }, category: string): Promise<RecordedEvent[]> {
  const sentinel = `${category}-sentinel`;
  return untilSentinel(
    consumer.received,
    () => appendAndWake(sentinel),
    (event) => event.streamId === sentinel,
  );
}

describe('liveEvents', () => {
  it('replays from a position then goes live with no gap and no duplicate while appends continue concurrently', async () => {
    const a = uniqueCategory('a');
    const b = uniqueCategory('b');
    const categories = [a, b];
    const initial: RecordedEvent[] = [];
    for (let index = 0; index < 30; index += 1) initial.push(...(await appendAndWake(`${index % 2 === 0 ? a : b}-${index % 3}`)));

    let appending = true;
    let appended = 0;
    const jitter = seededRandom(107);
    const writers = Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let index = 0; index < 40; index += 1) {
          const category = (writer + index) % 2 === 0 ? a : b;
          // Mixed batch sizes, and transactions held open a little so commits land out of order.
          await appendAndWake(`${category}-w${writer}`, 1 + (index % 3), index % 4 === 0 ? jitter() * 5 : 0);
          appended += 1;
        }
      }),
    ).finally(() => {
      appending = false;
    });

    // Subscribers join at different moments, resuming from different positions.
    const subscribers: Array<{ after: string; consumer: ReturnType<typeof consume> }> = [];
    for (const [joinAfter, resumeIndex] of [
      [0, 11],
      [40, 3],
      [90, 29],
    ] as const) {
      await waitFor(() => appended >= joinAfter || !appending, 40_000, `${joinAfter} appends`);
      const after = initial[resumeIndex]!.position;
      subscribers.push({ after, consumer: consume(await liveEvents(store, bus, { categories, after, replayPageSize: 7 })) });
    }
    await writers;

    // One sentinel, later in the log than everything the writers appended, for all three.
    const sentinel = `${a}-sentinel`;
    await appendAndWake(sentinel);
    for (const { after, consumer } of subscribers) {
      const expected = (await logAfter(categories, after)).filter((event) => event.streamId !== sentinel);
      const received = await untilSentinel(
        consumer.received,
        () => undefined,
        (event) => event.streamId === sentinel,
        { timeoutMs: 40_000 },
      );
      await consumer.stop();
      expect(received.map((event) => event.position)).toEqual(expected.map((event) => event.position));
      expectLogOrder(received);
    }
  }, 180_000);

  it('without a resume position, delivers only what happens after subscribing, in log order', async () => {
    const category = uniqueCategory();
    const old = await appendAndWake(`${category}-1`, 3);
    // Let the publisher pass over the old events first.
    await waitFor(async () => BigInt((await readCheckpoint(sql, publisherName)).position) >= BigInt(old[2]!.position), 30_000, 'the checkpoint');
    const consumer = consume(await liveEvents(store, bus, { categories: [category] }));
    const fresh: RecordedEvent[] = [];
    for (let index = 0; index < 10; index += 1) fresh.push(...(await appendAndWake(`${category}-${index % 2}`)));
    const received = await beforeSentinel(consumer, category);
    await consumer.stop();
    expect(received.map((event) => event.position)).toEqual(fresh.map((event) => event.position));
  });

  it('applies the filter to replayed and live events alike', async () => {
    const category = uniqueCategory();
    const early: RecordedEvent[] = [];
    for (let index = 0; index < 6; index += 1) early.push(...(await appendAndWake(`${category}-${index % 2 === 0 ? 'even' : 'odd'}`)));
    const consumer = consume(
      await liveEvents(store, bus, { categories: [category], after: early[0]!.position, filter: (event) => event.streamId.endsWith('-even') }),
    );
    for (let index = 0; index < 6; index += 1) await appendAndWake(`${category}-${index % 2 === 0 ? 'even' : 'odd'}`);
    const expected = (await logAfter([category], early[0]!.position)).filter((event) => event.streamId.endsWith('-even'));
    expect(expected).toHaveLength(5);
    // The sentinel passes the filter: it is on an even stream.
    const sentinel = `${category}-sentinel-even`;
    const received = await untilSentinel(
      consumer.received,
      () => appendAndWake(sentinel),
      (event) => event.streamId === sentinel,
    );
    await consumer.stop();
    expect(received.map((event) => event.position)).toEqual(expected.map((event) => event.position));
  });

  it('drops events the publisher publishes again (at-least-once) after delivering them', async () => {
    const category = uniqueCategory();
    const first = await appendAndWake(`${category}-1`);
    const consumer = consume(await liveEvents(store, bus, { categories: [category], after: first[0]!.position }));
    for (let index = 0; index < 5; index += 1) await appendAndWake(`${category}-1`);
    await waitFor(() => consumer.received.length >= 5, 30_000, 'five events');
    // A second publisher under a new name publishes the whole log once more: wait until the bus
    // carried every one of the consumer's events again.
    const republished = new PositionCollector();
    const unsubscribe = await republished.subscribe(bus, category);
    const again = new EventPublisher({ sql, bus, name: `again-${randomUUID()}`, pollIntervalMs: 25 });
    again.start();
    again.wake();
    await waitFor(() => [first[0]!, ...consumer.received].every((event) => republished.has(event.position)), 30_000, 'the log published again');
    await again.stop();
    await unsubscribe();
    await appendAndWake(`${category}-1`);
    const received = await beforeSentinel(consumer, category);
    await consumer.stop();
    expect(received.map((event) => event.version)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('rejects an unknown resume position with BAD_USER_INPUT and releases its bus subscription', async () => {
    const before = openSubscriptions;
    await rejectionOf(liveEvents(store, bus, { categories: [uniqueCategory()], after: '987654321987' }), ErrorCode.BAD_USER_INPUT);
    await waitFor(() => openSubscriptions === before, 10_000, 'the bus subscription released');
  });

  it('releases its bus subscriptions when the consumer stops', async () => {
    const before = openSubscriptions;
    const iterator = await liveEvents(store, bus, { categories: [uniqueCategory(), uniqueCategory()] });
    expect(openSubscriptions).toBe(before + 2);
    await iterator.return?.();
    await waitFor(() => openSubscriptions === before, 10_000, 'both bus subscriptions released');
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
