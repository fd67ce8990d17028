import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { InMemoryBus } from '../../subgraphs/shared/bus/in-memory-bus.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import { openDatabase, type Database } from '../../subgraphs/shared/database/connect.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { LOG_START, cursorOf, type RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { EventPublisher, readCheckpoint } from '../../subgraphs/shared/publisher/publisher.js';
import { backend, createTestBus, createTestDatabase, type TestDatabase } from '../support/environment.js';
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
function startPublisher(bus: EventBus, options: { name?: string; pollIntervalMs?: number; sql?: SqlClient } = {}): EventPublisher {
  const publisher = new EventPublisher({
    sql: options.sql ?? sql,
    bus,
    name: options.name ?? `publisher-${randomUUID()}`,
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
  });
  publisher.start();
  cleanups.push(() => publisher.stop());
  return publisher;
}

/** All events of the categories, read back from the settled log. */
async function logOf(categories: string[]): Promise<RecordedEvent[]> {
  await settle(sql);
  return store.readAll(LOG_START, { categories, limit: 100_000 });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('publisher and bus', () => {
  it('delivers every appended event to a subscriber once per position, in log order, right after wake()', async () => {
    const category = uniqueCategory();
    const bus = await testBus();
    const collector = new PositionCollector();
    await collector.subscribe(bus, category);
    const publisher = startPublisher(bus);

    // Sequential: the fallback poll is a minute away, so each delivery is the work of wake().
    const latencies: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const { events } = await store.appendToStream(`${category}-seq`, [{ type: 'Ping', data: { index } }]);
      // Measure from the moment the event is publishable: a transaction of another suite running
      // anywhere in the cluster (ids are cluster-wide) rightly holds the commit-safe tail back.
      await settle(sql, String(BigInt(events[0]!.transactionId) + 1n));
      const woken = performance.now();
      publisher.wake();
      const position = events[0]!.position;
      await waitFor(() => collector.has(position), 10_000, `delivery of ${position}`);
      latencies.push(collector.arrivedAt(position)! - woken);
    }
    latencies.sort((a, b) => a - b);
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
    await waitFor(() => collector.unique.length >= expected.length, 30_000, 'all deliveries');
    await sleep(50);
    expect(collector.positions()).toEqual(expected.map((event) => event.position));
    expect(collector.duplicates).toBe(0);
    expectLogOrder(collector.raw);
    // What travels over the bus is the recorded event itself.
    expect(collector.unique.at(-1)).toEqual(expected.at(-1));
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
    await store.appendToStream(`${a}-2`, [{ type: 'A', data: {} }, { type: 'A', data: {} }]);
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
    await sleep(300);
    expect(after.raw).toEqual([]);
    for (let index = 0; index < 5; index += 1) await store.appendToStream(`${category}-1`, [{ type: 'New', data: { index } }]);
    second.wake();
    await waitFor(() => after.unique.length >= 5, 30_000, 'the five new events');
    await sleep(200);
    second.wake();
    await sleep(200);
    expect(after.raw.map((event) => event.type)).toEqual(['New', 'New', 'New', 'New', 'New']);
    expect(after.raw.map((event) => event.version)).toEqual([11, 12, 13, 14, 15]);

    // A publisher under another name has its own checkpoint and starts from the beginning.
    const fresh = new PositionCollector();
    await fresh.subscribe(bus, category);
    startPublisher(bus).wake();
    await waitFor(() => fresh.unique.length >= 15, 30_000, 'a full replay');
    expect(fresh.unique.map((event) => event.version)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
  });

  it('publishes a batch again when its checkpoint could not be saved (at least once); position dedupe keeps consumers exact', async () => {
    const category = uniqueCategory();
    const inner = await testBus();
    let sabotage = 2;
    // The bus accepts the batch, then the pass fails before the checkpoint commits (a crash there).
    const crashing: EventBus = {
      publish: async (events) => {
        await inner.publish(events);
        if (events.some((event) => event.streamId.startsWith(`${category}-`)) && sabotage > 0) {
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
    await sleep(100);
    expect(collector.positions()).toEqual(expected.map((event) => event.position));
    expect(collector.duplicates).toBeGreaterThan(0);
  });

  it('two publishers on one database take turns (advisory lock): no batch is published twice or concurrently', async () => {
    const category = uniqueCategory();
    const name = `shared-${randomUUID()}`;
    const prefix = `tributary-test-${randomUUID()}`;
    // On PostgreSQL the second publisher has its own pool, as another process would.
    let second: Database | undefined;
    if (testDb.url) {
      second = await openDatabase({ url: testDb.url, migrate: false, maxConnections: 4 });
      cleanups.push(() => second!.close());
    }
    const busA = await testBus(prefix);
    // Redis: a second connection pair on the same channels; in process: the one shared bus.
    const busB = backend.redisUrl ? await testBus(prefix) : busA;
    const calls: Array<{ publisher: string; positions: string[]; start: number; end: number }> = [];
    const instrumented = (id: string, inner: EventBus): EventBus => ({
      publish: async (events) => {
        const start = performance.now();
        await sleep(15); // a slow bus makes overlapping passes visible
        await inner.publish(events);
        calls.push({
          publisher: id,
          positions: events.filter((event) => event.streamId.startsWith(`${category}-`)).map((event) => event.position),
          start,
          end: performance.now(),
        });
      },
      subscribe: (channel, handler) => inner.subscribe(channel, handler),
      close: () => inner.close(),
    });
    const collector = new PositionCollector();
    await collector.subscribe(busA, category);
    const publisherA = startPublisher(instrumented('A', busA), { name, pollIntervalMs: 5 });
    const publisherB = startPublisher(instrumented('B', busB), { name, pollIntervalMs: 5, ...(second ? { sql: second.sql } : {}) });

    for (let round = 0; round < 8; round += 1) {
      await Promise.all(
        Array.from({ length: 5 }, (_, writer) => store.appendToStream(`${category}-${writer}`, [{ type: 'E', data: { round } }])),
      );
      publisherA.wake();
      publisherB.wake();
      await sleep(10);
    }
    const expected = await logOf([category]);
    expect(expected).toHaveLength(40);
    await waitFor(() => collector.unique.length >= 40, 30_000, 'all 40 events');
    await sleep(100);

    expect(collector.positions()).toEqual(expected.map((event) => event.position));
    const published = calls.flatMap((call) => call.positions);
    expect(published.sort()).toEqual(expected.map((event) => event.position).sort());
    const ordered = [...calls].sort((x, y) => x.start - y.start);
    for (let index = 1; index < ordered.length; index += 1) {
      expect(ordered[index]!.start).toBeGreaterThanOrEqual(ordered[index - 1]!.end);
    }
    expect(publisherA.publishedCount + publisherB.publishedCount).toBeGreaterThanOrEqual(40);
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
      await slow.begin();
      const { events: slowEvents } = await slow.store.appendToStream(`${category}-slow`, [{ type: 'Slow', data: {} }]);
      await slow.detach();
      const { events: fastEvents } = await slow.others.appendToStream(`${category}-fast`, [{ type: 'Fast', data: {} }]);
      publisher.wake();
      await sleep(300);
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
    await outage.waitForFailedPublishes();
    await sleep(300);
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
