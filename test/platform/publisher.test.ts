import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { InMemoryBus } from '../../subgraphs/shared/bus/in-memory-bus.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import { decodeEvents } from '../../subgraphs/shared/bus/serialization.js';
import { openDatabase } from '../../subgraphs/shared/database/connect.js';
import type { Row, SqlClient, SqlSession } from '../../subgraphs/shared/database/sql.js';
import { LOG_START, cursorOf, type RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { leaderPid } from '../../subgraphs/shared/publisher/leader-session.js';
import { EventPublisher, readCheckpoint, writeCheckpoint, type PublisherOptions } from '../../subgraphs/shared/publisher/publisher.js';
import { backend, createTestBus, createTestDatabase, type TestDatabase } from '../support/environment.js';
import { untilSentinel } from '../support/sentinel.js';
import { HOOK_TIMEOUT_MS, PositionCollector, expectLogOrder, openSlowTransaction, settle, sleep, uniqueCategory, waitFor } from './helpers.js';

const run = promisify(execFile);

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

/** A bus for one test, closed after the file. */
async function testBus(prefix?: string): Promise<EventBus> {
  const bus = createTestBus(prefix);
  cleanups.push(() => bus.close());
  if (bus instanceof RedisBus) await bus.ready();
  return bus;
}

/** A publisher driven by wake() (its fallback poll is a minute unless told otherwise). */
function startPublisher(bus: EventBus, options: Partial<Omit<PublisherOptions, 'bus'>> = {}): EventPublisher {
  const publisher = new EventPublisher({
    ...options,
    sql: options.sql ?? sql,
    bus,
    name: options.name ?? `publisher-${randomUUID()}`,
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
  });
  publisher.start();
  cleanups.push(() => publisher.stop());
  return publisher;
}

/**
 * The database as another process sees it: on PostgreSQL a pool of its own; PGlite is one session
 * in this process, so there it is the same client (publishers sharing it exclude each other in
 * memory, and a NOTIFY reaches a LISTEN of the same session).
 */
async function otherProcess(): Promise<SqlClient> {
  if (!testDb.url) return sql;
  const other = await openDatabase({ url: testDb.url, migrate: false, maxConnections: 4 });
  cleanups.push(() => other.close());
  return other.sql;
}

/** Buses of two processes on the same channels: with Redis two connection pairs; in process, one bus. */
async function busesOnOneChannel(): Promise<[EventBus, EventBus]> {
  const prefix = `tributary-test-${randomUUID()}`;
  const first = await testBus(prefix);
  return [first, backend.redisUrl ? await testBus(prefix) : first];
}

/** All events of the categories, read back from the settled log, sentinels (see below) aside. */
async function logOf(categories: string[]): Promise<RecordedEvent[]> {
  await settle(sql);
  return (await store.readAll(LOG_START, { categories, limit: 100_000 })).filter((event) => !event.streamId.includes('-sentinel'));
}

let sentinels = 0;

/**
 * Appends a sentinel event to `category` (a stream of its own), has `wake` wake the publisher(s)
 * and waits until `collector` heard it. The publisher publishes in log order, so anything it was
 * going to publish before (a duplicate, a stray event) has arrived by then: returns what the
 * collector heard before the sentinel, duplicates included, and the sentinel.
 */
async function beforeSentinel(collector: PositionCollector, category: string, wake: () => void): Promise<{ heard: RecordedEvent[]; sentinel: RecordedEvent }> {
  const streamId = `${category}-sentinel${(sentinels += 1)}`;
  let sentinel: RecordedEvent | undefined;
  const heard = await untilSentinel(
    collector.raw,
    async () => {
      [sentinel] = (await store.appendToStream(streamId, [{ type: 'Sentinel', data: {} }])).events;
      wake();
    },
    (event) => event.streamId === streamId,
  );
  return { heard, sentinel: sentinel! };
}

const positionsOf = (events: readonly RecordedEvent[]): string[] => [...new Set(events.map((event) => event.position))];

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * Appends `count` single events to `streamId` one by one, wakes `publisher` once each is
 * publishable, and returns the sorted wake → delivery times. Measured from the moment the event is
 * publishable: a transaction of another suite running anywhere in the cluster (ids are
 * cluster-wide) rightly holds the commit-safe tail back.
 */
async function wakeLatencies(
  store: SqlEventStore,
  streamId: string,
  type: string,
  publisher: EventPublisher,
  collector: PositionCollector,
  count: number,
  timeoutMs: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const { events } = await store.appendToStream(streamId, [{ type, data: { index } }]);
    await settle(sql, String(BigInt(events[0]!.transactionId) + 1n));
    const woken = performance.now();
    publisher.wake();
    const position = events[0]!.position;
    await waitFor(() => collector.has(position), timeoutMs, `delivery of ${position}`);
    latencies.push(collector.arrivedAt(position)! - woken);
  }
  return latencies.sort((a, b) => a - b);
}

describe('publisher and bus', () => {
  it('delivers every appended event to a subscriber once per position, in log order, right after wake()', async () => {
    const category = uniqueCategory();
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    const publisher = startPublisher(bus);

    // Sequential: the fallback poll is a minute away, so each delivery is the work of wake().
    const latencies = await wakeLatencies(store, `${category}-seq`, 'Ping', publisher, collector, 20, 10_000);
    expect(percentile(latencies, 0.5)).toBeLessThan(250);

    // Concurrent writers on several streams, each waking the publisher after its commit.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let index = 0; index < 10; index += 1) {
          await store.appendToStream(`${category}-w${writer}`, [{ type: 'Written', data: { writer, index } }]);
          publisher.wake();
        }
      }),
    );
    const expected = await logOf([category]);
    expect(expected).toHaveLength(100);
    const { heard } = await beforeSentinel(collector, category, () => publisher.wake());
    expect(heard.map((event) => event.position)).toEqual(expected.map((event) => event.position));
    expectLogOrder(heard);
    // What travels over the bus is the recorded event itself.
    expect(heard.at(-1)).toEqual(expected.at(-1));
  });

  it('keeps log order for a subscriber of several categories when one published batch interleaves them', async () => {
    const a = uniqueCategory('a');
    const b = uniqueCategory('b');
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, a);
    await collector.subscribe(bus, b);
    // Appended before the publisher starts, so its first pass publishes them as one batch.
    for (let index = 0; index < 3; index += 1) {
      await store.appendToStream(`${a}-1`, [{ type: 'A', data: { index } }]);
      await store.appendToStream(`${b}-1`, [{ type: 'B', data: { index } }]);
    }
    await store.appendToStream(`${a}-2`, [
      { type: 'A', data: {} },
      { type: 'A', data: {} },
    ]);
    const expected = await logOf([a, b]);
    startPublisher(bus);
    await waitFor(() => collector.unique.length >= expected.length, 30_000, 'the batch');
    expect(collector.raw.map((event) => event.position)).toEqual(expected.map((event) => event.position));
  });

  it('keeps its checkpoint across restarts: a restarted publisher publishes only what is new', async () => {
    const category = uniqueCategory();
    const name = `publisher-${randomUUID()}`;
    const bus = await testBus();
    const before = new PositionCollector();
    const unsubscribe = await before.subscribe(bus, category);
    const first = startPublisher(bus, { name });
    for (let index = 0; index < 10; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'Old', data: { index } }]);
    first.wake();
    const old = await logOf([category]);
    await waitFor(() => before.unique.length >= 10, 30_000, 'the first ten');
    await first.stop();
    await unsubscribe();
    // The checkpoint is in the database, at the last event published (the newest in the log).
    expect(await readCheckpoint(sql, name)).toEqual(cursorOf(old.at(-1)!));

    const after = new PositionCollector();
    await after.subscribe(bus, category);
    const second = startPublisher(bus, { name });
    second.wake();
    // Its first pass publishes the sentinel and nothing before it.
    expect((await beforeSentinel(after, category, () => second.wake())).heard).toEqual([]);
    for (let index = 0; index < 5; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'New', data: { index } }]);
    second.wake();
    await waitFor(() => after.unique.length >= 6, 30_000, 'the five new events');
    // Woken again, it publishes the next sentinel and nothing of what it published already.
    const { heard } = await beforeSentinel(after, category, () => second.wake());
    // The first sentinel, then the five.
    const news = heard.filter((event) => event.streamId === `${category}-1`);
    expect(news.map((event) => event.type)).toEqual(['New', 'New', 'New', 'New', 'New']);
    expect(news.map((event) => event.version)).toEqual([11, 12, 13, 14, 15]);
    expect(heard).toHaveLength(6);

    // A publisher under another name has its own checkpoint and starts from the beginning.
    const fresh = new PositionCollector();
    await fresh.subscribe(bus, category);
    startPublisher(bus).wake();
    await waitFor(() => fresh.unique.length >= 17, 30_000, 'a full replay');
    const replayed = fresh.unique.filter((event) => event.streamId === `${category}-1`);
    expect(replayed.map((event) => event.version)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
  });

  it('publishes a batch again when the bus fails after accepting it (at least once); position dedupe keeps consumers exact', async () => {
    const category = uniqueCategory();
    const inner = await testBus();
    let sabotage = 2;
    // The bus accepts the batch, then reports a failure: the checkpoint must not move past it.
    const crashing: EventBus = {
      publish: async (runs) => {
        await inner.publish(runs);
        if (runs.some((run) => run.category === category) && sabotage > 0) {
          sabotage -= 1;
          throw new Error('crashed after publishing');
        }
      },
      subscribe: (name, handler) => inner.subscribe(name, handler),
      close: () => inner.close(),
    };
    const collector = new PositionCollector();
    await collector.subscribe(inner, category);
    const publisher = startPublisher(crashing, { pollIntervalMs: 20 });
    for (let index = 0; index < 4; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'E', data: { index } }]);
    publisher.wake();
    const expected = await logOf([category]);
    await waitFor(() => sabotage === 0 && collector.unique.length >= 4, 30_000, 'delivery after the crashes');
    const { heard } = await beforeSentinel(collector, category, () => publisher.wake());
    expect(positionsOf(heard)).toEqual(expected.map((event) => event.position));
    expect(heard.length).toBeGreaterThan(expected.length);
    await publisher.stop(); // its fast poll would only slow the next tests down
  });

  it('publishes again, after a restart, what went out after the last checkpoint it could save (at least once); position dedupe keeps consumers exact', async () => {
    const category = uniqueCategory();
    const name = `publisher-${randomUUID()}`;
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    const first = startPublisher(bus, { name, pollIntervalMs: 20 });
    for (let index = 0; index < 2; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'Saved', data: { index } }]);
    first.wake();
    await waitFor(() => collector.unique.length >= 2, 30_000, 'the first two');
    const saved = cursorOf(collector.unique.at(-1)!);
    await waitFor(async () => (await readCheckpoint(sql, name)).position === saved.position, 30_000, 'the checkpoint');

    // From now on the checkpoint cannot be written: as if the process died before each write.
    const refuse = `refuse_${randomUUID().replace(/-/g, '')}`;
    await sql.exec(`
      CREATE FUNCTION ${refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'checkpoint refused (test)'; END $$;
      CREATE TRIGGER ${refuse} BEFORE INSERT OR UPDATE ON checkpoints FOR EACH ROW WHEN (NEW.name = '${name}') EXECUTE FUNCTION ${refuse}();
    `);
    try {
      for (let index = 0; index < 3; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'Unsaved', data: { index } }]);
      first.wake();
      await waitFor(() => collector.unique.length >= 5, 30_000, 'the three unsaved');
      await first.stop();
      expect(await readCheckpoint(sql, name)).toEqual(saved);
    } finally {
      await sql.exec(`DROP TRIGGER ${refuse} ON checkpoints; DROP FUNCTION ${refuse}();`);
    }

    // The next leader starts from the saved checkpoint: those three go out again, nothing else.
    const second = startPublisher(bus, { name });
    second.wake();
    await waitFor(() => collector.raw.length >= 8, 30_000, 'the three published again');
    const expected = await logOf([category]);
    const { heard } = await beforeSentinel(collector, category, () => second.wake());
    expect(positionsOf(heard)).toEqual(expected.map((event) => event.position));
    expect(heard.slice(5).map((event) => event.type)).toEqual(['Unsaved', 'Unsaved', 'Unsaved']);
    expect(heard).toHaveLength(8);
  });

  it('two publishers of one name on one database (two processes): one leads and publishes alone; when it stops, the other takes over from its checkpoint; nothing is lost', async () => {
    const category = uniqueCategory();
    const name = `shared-${randomUUID()}`;
    const otherSql = await otherProcess();
    const [busA, busB] = await busesOnOneChannel();
    const calls: Array<{ publisher: string; positions: string[]; start: number; end: number }> = [];
    const instrumented = (id: string, inner: EventBus): EventBus => ({
      publish: async (runs) => {
        const start = performance.now();
        await sleep(15); // a slow bus makes overlapping passes visible
        await inner.publish(runs);
        calls.push({
          publisher: id,
          positions: runs.filter((run) => run.category === category).flatMap((run) => decodeEvents(run.json).map((event) => event.position)),
          start,
          end: performance.now(),
        });
      },
      subscribe: (channel, handler) => inner.subscribe(channel, handler),
      close: () => inner.close(),
    });
    const collector = new PositionCollector();
    await collector.subscribe(busA, category);
    const publishers = {
      A: startPublisher(instrumented('A', busA), { name, pollIntervalMs: 5 }),
      B: startPublisher(instrumented('B', busB), { name, pollIntervalMs: 5, sql: otherSql }),
    };
    const appendRounds = async (rounds: number, type: string) => {
      for (let round = 0; round < rounds; round += 1) {
        await Promise.all(Array.from({ length: 5 }, (_, writer) => store.appendToStream(`${category}-${writer}`, [{ type, data: { round } }])));
        // Each process wakes its own publisher after its commits.
        publishers.A.wake();
        publishers.B.wake();
        // Rounds spread out in time, so passes of both publishers fall between them.
        await sleep(10);
      }
    };

    await appendRounds(8, 'First');
    let expected = await logOf([category]);
    expect(expected).toHaveLength(40);
    // A sentinel, and the pass that published it recorded: every call before it is in `calls`.
    const wakeBoth = () => {
      publishers.A.wake();
      publishers.B.wake();
    };
    const published = (sentinel: RecordedEvent) => waitFor(() => calls.some((call) => call.positions.includes(sentinel.position)), 30_000, 'the sentinel pass');
    const first = await beforeSentinel(collector, category, wakeBoth);
    await published(first.sentinel);
    expect(first.heard.map((event) => event.position)).toEqual(expected.map((event) => event.position));
    const sentinelPositions = new Set([first.sentinel.position]);
    const positionsPublished = (list: typeof calls) => list.flatMap((call) => call.positions).filter((position) => !sentinelPositions.has(position));
    // One leader published everything, each event once; the other only followed.
    const leaderId = calls[0]!.publisher === 'A' ? 'A' : 'B';
    const followerId = leaderId === 'A' ? 'B' : 'A';
    expect(new Set(calls.map((call) => call.publisher))).toEqual(new Set([leaderId]));
    expect(positionsPublished(calls).sort()).toEqual(expected.map((event) => event.position).sort());
    expect(publishers[leaderId].leading).toBe(true);
    expect(publishers[followerId].leading).toBe(false);
    expect(publishers[followerId].publishedCount).toBe(0);

    // The leader stops (saving its checkpoint); the follower takes over within its poll interval.
    const handedOver = calls.length;
    await publishers[leaderId].stop();
    await appendRounds(2, 'Second');
    await waitFor(() => publishers[followerId].leading, 30_000, 'the follower to take over');
    expected = await logOf([category]);
    expect(expected).toHaveLength(50);
    const second = await beforeSentinel(collector, category, wakeBoth);
    await published(second.sentinel);
    sentinelPositions.add(second.sentinel.position);
    expect(second.heard.filter((event) => !sentinelPositions.has(event.position)).map((event) => event.position)).toEqual(
      expected.map((event) => event.position),
    );
    const after = calls.slice(handedOver);
    expect(new Set(after.map((call) => call.publisher))).toEqual(new Set([followerId]));
    // Only what is new: the stopped leader had saved its checkpoint.
    expect(positionsPublished(after).sort()).toEqual(
      expected
        .slice(40)
        .map((event) => event.position)
        .sort(),
    );
    // Never two passes at once.
    const ordered = [...calls].sort((x, y) => x.start - y.start);
    for (let index = 1; index < ordered.length; index += 1) {
      expect(ordered[index]!.start).toBeGreaterThanOrEqual(ordered[index - 1]!.end);
    }
    await publishers[followerId].stop(); // its fast poll would only slow the next tests down
  });

  it("delivers a commit made in a follower's process promptly: its wake() NOTIFYs the leader, no poll needed", async () => {
    const category = uniqueCategory();
    const name = `shared-${randomUUID()}`;
    const otherSql = await otherProcess();
    const [busA, busB] = await busesOnOneChannel();
    const collector = new PositionCollector();
    await collector.subscribe(busA, category);
    // Polls are five seconds apart: only the NOTIFY can make delivery prompt.
    const leader = startPublisher(busA, { name, pollIntervalMs: 5_000 });
    await waitFor(() => leader.leading, 30_000, 'the leader');
    const follower = startPublisher(busB, { name, pollIntervalMs: 5_000, sql: otherSql });
    const followerStore = new SqlEventStore(otherSql);

    const latencies = await wakeLatencies(followerStore, `${category}-1`, 'Remote', follower, collector, 10, 30_000);
    expect(percentile(latencies, 0.5)).toBeLessThan(250);
    expect(latencies.at(-1)!).toBeLessThan(2_500);
    expect(follower.leading).toBe(false);
    expect(follower.publishedCount).toBe(0);
    expect(leader.publishedCount).toBeGreaterThanOrEqual(10);
  });

  it('saves its checkpoint lazily: every checkpointIntervalMs while publishing, when going idle, and on stop', async () => {
    const category = uniqueCategory();
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    const slowBus = (ms: number, onPublish?: () => void): EventBus => ({
      publish: async (events) => {
        onPublish?.();
        // Slow on purpose: the saves are paced by how long passes take.
        await sleep(ms);
        await bus.publish(events);
      },
      subscribe: (channel, handler) => bus.subscribe(channel, handler),
      close: async () => undefined,
    });

    // Going idle: with a long interval, the save is the one made once nothing is left to do.
    const idle = `idle-${randomUUID()}`;
    const idlePublisher = startPublisher(bus, { name: idle, checkpointIntervalMs: 60_000 });
    for (let index = 0; index < 3; index += 1) await store.appendToStream(`${category}-idle`, [{ type: 'E', data: { index } }]);
    idlePublisher.wake();
    await waitFor(() => collector.unique.length >= 3, 30_000, 'the idle case');
    const idleLast = cursorOf(collector.unique.at(-1)!);
    await waitFor(async () => (await readCheckpoint(sql, idle)).position === idleLast.position, 5_000, 'the save when idle');

    // While publishing: one event per pass over a slow bus, never idle; saves follow the interval.
    const busy = `busy-${randomUUID()}`;
    for (let index = 0; index < 20; index += 1) await store.appendToStream(`${category}-busy`, [{ type: 'E', data: { index } }]);
    const busyEvents = (await logOf([category])).slice(3);
    // Starting after the log so far (one event a pass would take long over the whole log).
    await writeCheckpoint(sql, busy, idleLast);
    const busyPublisher = startPublisher(slowBus(20), { name: busy, batchSize: 1, checkpointIntervalMs: 50 });
    busyPublisher.wake();
    const midway = new Set<string>();
    const [first, last] = [BigInt(busyEvents[0]!.position), BigInt(busyEvents.at(-1)!.position)];
    while (collector.unique.length < 23) {
      const position = BigInt((await readCheckpoint(sql, busy)).position);
      if (position > first && position < last) midway.add(String(position));
      await sleep(10);
    }
    expect(midway.size).toBeGreaterThan(1);

    // On stop: stopped during a pass, it never went idle; the stop saves what the pass published.
    const stopped = `stopped-${randomUUID()}`;
    let publishing = false;
    for (let index = 0; index < 3; index += 1) await store.appendToStream(`${category}-stop`, [{ type: 'E', data: { index } }]);
    const stopEvents = (await logOf([category])).slice(23);
    const before = cursorOf(busyEvents.at(-1)!);
    await writeCheckpoint(sql, stopped, before);
    const onPublish = () => {
      publishing = true;
    };
    const stoppedPublisher = startPublisher(slowBus(200, onPublish), { name: stopped, checkpointIntervalMs: 60_000 });
    stoppedPublisher.wake();
    await waitFor(() => publishing, 30_000, 'a publishing pass');
    expect(await readCheckpoint(sql, stopped)).toEqual(before);
    await stoppedPublisher.stop();
    expect(await readCheckpoint(sql, stopped)).toEqual(cursorOf(stopEvents.at(-1)!));
  });

  it('recovers by itself when its session connection is killed (PostgreSQL: pg_terminate_backend; PGlite, one in-process session nobody can kill: a session made to fail)', async () => {
    const category = uniqueCategory();
    const name = `publisher-${randomUUID()}`;
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    const warnings: unknown[] = [];
    const logger = { warn: (details: unknown) => void warnings.push(details), error: () => undefined };
    const breakable = testDb.url ? undefined : breakableSessions(sql);
    // The poll is a minute away: recovery waits neither for it nor for a wake-up.
    const publisher = startPublisher(bus, { name, logger, ...(breakable ? { sql: breakable.sql } : {}) });
    await waitFor(() => publisher.leading, 30_000, 'the publisher to lead');
    for (let index = 0; index < 3; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'Before', data: { index } }]);
    publisher.wake();
    await waitFor(() => collector.unique.length >= 3, 30_000, 'the events before');

    const killed = testDb.url ? await leaderPid(sql, name) : undefined;
    if (testDb.url) {
      expect(killed).toBeDefined();
      const [row] = await sql.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [killed]);
      expect(row?.done).toBe(true);
    } else breakable!.breakSession();
    await waitFor(() => warnings.length > 0, 30_000, 'the failure to be noticed');
    await waitFor(async () => publisher.leading && (!testDb.url || ((await leaderPid(sql, name)) ?? killed) !== killed), 30_000, 'leadership on a new session');

    for (let index = 0; index < 5; index += 1) {
      await store.appendToStream(`${category}-1`, [{ type: 'After', data: { index } }]);
      publisher.wake();
    }
    const expected = await logOf([category]);
    const { heard } = await beforeSentinel(collector, category, () => publisher.wake());
    expect(heard.map((event) => event.position)).toEqual(expected.map((event) => event.position));
    expectLogOrder(heard);
  });

  it('publishes events held back by an older transaction of another session soon after it commits, without being woken', async () => {
    const category = uniqueCategory();
    const slow = await openSlowTransaction(testDb);
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    // The fallback poll is a minute away; the commit below wakes nobody (another process, say).
    const publisher = startPublisher(bus, { sql: slow.othersSql, pollIntervalMs: 60_000 });
    try {
      // Leading first: on PGlite's single session its LISTEN must not land inside the slow
      // transaction, which is then prepared (PostgreSQL refuses to prepare one that listened).
      await waitFor(() => publisher.leading, 30_000, 'the publisher to lead');
      await slow.begin();
      const { events: slowEvents } = await slow.store.appendToStream(`${category}-slow`, [{ type: 'Slow', data: {} }]);
      await slow.detach();
      const { events: fastEvents } = await slow.others.appendToStream(`${category}-fast`, [{ type: 'Fast', data: {} }]);
      // A whole pass after the fast commit: it says events are held back, and published none.
      expect(await publisher.publishBatch()).toBe(true);
      expect(collector.raw).toEqual([]);

      await slow.commit();
      const committed = performance.now();
      await waitFor(() => collector.unique.length >= 2, 30_000, 'the held-back events');
      expect(performance.now() - committed).toBeLessThan(5_000);
      expect(collector.positions()).toEqual([slowEvents[0]!.position, fastEvents[0]!.position]);
    } finally {
      await publisher.stop();
      await slow.close();
    }
  }, 180_000);

  it('stops promptly when asked during a publishing pass, instead of sleeping out its poll interval', async () => {
    const category = uniqueCategory();
    const inner = await testBus();
    let publishing = false;
    const slow: EventBus = {
      publish: async (events) => {
        publishing = true;
        // A long pass on purpose: the stop must not wait for the poll interval after it.
        await sleep(200);
        await inner.publish(events);
      },
      subscribe: (name, handler) => inner.subscribe(name, handler),
      close: () => inner.close(),
    };
    const publisher = startPublisher(slow, { pollIntervalMs: 60_000 });
    await store.appendToStream(`${category}-1`, [{ type: 'E', data: {} }]);
    publisher.wake();
    await waitFor(() => publishing, 30_000, 'a publishing pass');
    const asked = performance.now();
    await publisher.stop();
    expect(performance.now() - asked).toBeLessThan(5_000);
  });

  it('loses nothing while the bus is down: the publisher retries and the subscriber gets every event once it is back', async () => {
    const category = uniqueCategory();
    const outage = backend.redisUrl ? await redisOutage() : simulatedOutage();
    const collector = new PositionCollector();
    await collector.subscribe(outage.bus, category);
    const name = `publisher-${randomUUID()}`;
    const publisher = startPublisher(outage.bus, { name, pollIntervalMs: 50 });

    for (let index = 0; index < 5; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'BeforeOutage', data: { index } }]);
    publisher.wake();
    await waitFor(() => collector.unique.length >= 5, 30_000, 'the events before the outage');
    // The pass commits its checkpoint just after the bus accepted the batch.
    const beforeOutage = cursorOf(collector.unique.at(-1)!);
    await waitFor(async () => (await readCheckpoint(sql, name)).position === beforeOutage.position, 30_000, 'the checkpoint');

    await outage.stop();
    for (let index = 0; index < 10; index += 1) {
      await store.appendToStream(`${category}-${index % 3}`, [{ type: 'DuringOutage', data: { index } }]);
      publisher.wake();
    }
    // Passes after the appends failed; anything they got onto the bus would be here.
    await outage.waitForFailedPublishes();
    expect(collector.unique).toHaveLength(5);
    // Nothing was acknowledged, so the checkpoint did not move.
    expect(await readCheckpoint(sql, name)).toEqual(beforeOutage);

    await outage.restart();
    const expected = await logOf([category]);
    expect(expected).toHaveLength(15);
    await waitFor(() => collector.unique.length >= 15, 30_000, 'the events appended during the outage');
    expect(collector.positions()).toEqual(expected.map((event) => event.position));
    expectLogOrder(collector.unique);
  });
});

interface Outage {
  readonly bus: EventBus;
  stop(): Promise<void>;
  /** Resolves once the publisher has tried and failed to publish a few times. */
  waitForFailedPublishes(): Promise<void>;
  restart(): Promise<void>;
}

/** Without Redis: the in-process bus behind a switch that makes publish throw. */
function simulatedOutage(): Outage {
  const inner = new InMemoryBus();
  let down = false;
  let failures = 0;
  const bus: EventBus = {
    publish: async (events) => {
      if (down) {
        failures += 1;
        throw new Error('bus unavailable (simulated outage)');
      }
      await inner.publish(events);
    },
    subscribe: (category, handler) => inner.subscribe(category, handler),
    close: () => inner.close(),
  };
  return {
    bus,
    stop: async () => {
      down = true;
    },
    waitForFailedPublishes: () => waitFor(() => failures >= 3, 30_000, 'failed publishes'),
    restart: async () => {
      down = false;
    },
  };
}

async function redisAnswers(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'], { timeout: 2_000 });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

/**
 * With Redis: a throwaway redis-server of this test on its own port (never the shared one), stopped
 * with SHUTDOWN NOSAVE and started again on the same port.
 */
async function redisOutage(): Promise<Outage> {
  let port = 0;
  for (let attempt = 0; attempt < 20 && port === 0; attempt += 1) {
    const candidate = 6390 + Math.floor(Math.random() * 2000);
    if (!(await redisAnswers(candidate))) port = candidate;
  }
  if (port === 0) throw new Error('no free port for a throwaway redis-server');
  const start = async () => {
    await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
    await waitFor(() => redisAnswers(port), 30_000, `redis-server on port ${port}`);
  };
  const shutdown = async () => {
    await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    await waitFor(async () => !(await redisAnswers(port)), 30_000, `redis-server on port ${port} to stop`);
  };
  await start();
  cleanups.push(shutdown);
  const errors: Error[] = [];
  const bus = new RedisBus({ url: `redis://127.0.0.1:${port}`, prefix: `tributary-test-${randomUUID()}`, onError: (error) => errors.push(error) });
  cleanups.push(() => bus.close());
  await bus.ready();
  let failedPublishes = 0;
  const counting: EventBus = {
    publish: async (events) => {
      try {
        await bus.publish(events);
      } catch (error) {
        failedPublishes += 1;
        throw error;
      }
    },
    subscribe: (category, handler) => bus.subscribe(category, handler),
    close: () => bus.close(),
  };
  return {
    bus: counting,
    stop: shutdown,
    waitForFailedPublishes: () => waitFor(() => failedPublishes >= 3, 30_000, 'failed publishes'),
    restart: start,
  };
}

/**
 * PGlite is one session in this process, which no other connection can terminate: this wraps it
 * so that the test can break the session a publisher holds. Its queries fail from then on, as on
 * a closed connection, and it reports itself lost; the next session works.
 */
function breakableSessions(inner: SqlClient): { sql: SqlClient; breakSession(): void } {
  let current: { broken: boolean; lost: Set<() => void> } | undefined;
  const sql: SqlClient = {
    query: <R extends Row = Row>(text: string, params?: readonly unknown[]) => inner.query<R>(text, params),
    exec: (script) => inner.exec(script),
    transaction: (work) => inner.transaction(work),
    session: (work) =>
      inner.session((session) => {
        const state = { broken: false, lost: new Set<() => void>() };
        current = state;
        const alive = () => {
          if (state.broken) throw new Error('Connection terminated unexpectedly (simulated)');
        };
        const wrapped: SqlSession = {
          query: async <R extends Row = Row>(text: string, params?: readonly unknown[]) => {
            alive();
            return session.query<R>(text, params);
          },
          exec: async (script) => {
            alive();
            await session.exec(script);
          },
          transaction: async (work) => {
            alive();
            return session.transaction(work);
          },
          session: (work) => work(wrapped),
          listen: async (channel, handler) => {
            alive();
            const unlisten = (await session.listen?.(channel, handler)) ?? (async () => undefined);
            return async () => {
              alive();
              await unlisten();
            };
          },
          onLost: (handler) => {
            state.lost.add(handler);
            return () => state.lost.delete(handler);
          },
        };
        return work(wrapped);
      }),
  };
  return {
    sql,
    breakSession: () => {
      if (!current) throw new Error('no session to break');
      current.broken = true;
      for (const handler of current.lost) handler();
    },
  };
}
