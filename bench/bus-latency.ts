/**
 * Latency from an append's commit to the event's delivery by the bus to a subscriber, with the
 * publisher woken right after the commit (its fallback poll is set to 1 s, so polling does not
 * help). Sequential (one append in flight) and concurrent (several writers), on Redis and on the
 * in-process bus. The first rows are the floor: the bus alone (publish → handler), no database.
 *
 *   npx tsx bench/bus-latency.ts                                      # PGlite + in-process bus
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/bus-latency.ts
 *
 * Env: BENCH_SAMPLES (per mode, default 2000), BENCH_WRITERS (concurrent mode, default 8),
 * BENCH_MAX_SECONDS (cap per mode, default 60).
 */
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../subgraphs/shared/bus/contract.js';
import { InMemoryBus } from '../subgraphs/shared/bus/in-memory-bus.js';
import { RedisBus } from '../subgraphs/shared/bus/redis-bus.js';
import { encodeRuns } from '../subgraphs/shared/bus/serialization.js';
import type { DatabaseKind } from '../subgraphs/shared/database/sql.js';
import type { RecordedEvent } from '../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { EventPublisher } from '../subgraphs/shared/publisher/publisher.js';
import { backend } from '../test/support/environment.js';
import { databaseKinds, describeMachine, openBenchDatabase, printTable, quantile, recordResult, round } from './lib.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 60);
const WARMUP = 200;

type BusKind = 'redis' | 'memory';

interface ModeResult {
  /** `none` for the floor: the bus alone, no database and no publisher. */
  readonly database: DatabaseKind | 'none';
  readonly bus: BusKind;
  readonly mode: string;
  readonly writers: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** The append itself (until commit), for scale. */
  readonly appendP50Ms: number;
}

/** Tracks deliveries by position and lets a writer wait for its own event. */
class Deliveries {
  private readonly arrivals = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  readonly handler = (event: { position: string }) => {
    const at = performance.now();
    if (this.arrivals.has(event.position)) return;
    this.arrivals.set(event.position, at);
    const waiter = this.waiters.get(event.position);
    if (waiter) {
      this.waiters.delete(event.position);
      waiter(at);
    }
  };

  arrival(position: string): Promise<number> {
    const at = this.arrivals.get(position);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`event ${position} was not delivered within 10 s`)), 10_000);
      this.waiters.set(position, (arrivedAt) => {
        clearTimeout(timer);
        resolve(arrivedAt);
      });
    });
  }
}

async function openBus(kind: BusKind): Promise<EventBus> {
  if (kind === 'memory') return new InMemoryBus();
  const bus = new RedisBus({ url: backend.redisUrl!, prefix: `tributary-bench-${randomUUID()}` });
  await bus.ready();
  return bus;
}

async function benchCombination(database: DatabaseKind, busKind: BusKind): Promise<ModeResult[]> {
  const db = await openBenchDatabase(database, 20);
  const bus = await openBus(busKind);
  const publisher = new EventPublisher({ sql: db.sql, bus, name: 'bench-latency', pollIntervalMs: 1000 });
  const store = new SqlEventStore(db.sql);
  const category = `lat${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const deliveries = new Deliveries();
  await bus.subscribe(category, deliveries.handler);
  publisher.start();

  /** One sample: append, wake the publisher, wait for the event on the bus. */
  const sample = async (streamId: string, index: number): Promise<{ latency: number; append: number }> => {
    const started = performance.now();
    const { events } = await store.appendToStream(streamId, [{ type: 'Measured', data: { index } }]);
    const committed = performance.now();
    publisher.wake();
    const arrivedAt = await deliveries.arrival(events[0]!.position);
    return { latency: arrivedAt - committed, append: committed - started };
  };

  const runMode = async (mode: string, writers: number, samples: number): Promise<ModeResult> => {
    const latencies: number[] = [];
    const appends: number[] = [];
    const deadline = performance.now() + MAX_SECONDS * 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        while (next < samples && performance.now() < deadline) {
          const index = next;
          next += 1;
          const { latency, append } = await sample(`${category}-${mode}${writer}`, index);
          latencies.push(latency);
          appends.push(append);
        }
      }),
    );
    return summarize(database, busKind, mode, writers, latencies, appends);
  };

  try {
    await runMode('warmup', 1, WARMUP);
    const results = [await runMode('sequential', 1, SAMPLES), await runMode('concurrent', WRITERS, SAMPLES)];
    for (const result of results) {
      process.stderr.write(
        `  ${database}/${busKind} ${result.mode}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms (${result.samples} samples)\n`,
      );
    }
    return results;
  } finally {
    await publisher.stop();
    await bus.close();
    await db.close();
  }
}

function summarize(database: ModeResult['database'], bus: BusKind, mode: string, writers: number, latencies: number[], appends: number[]): ModeResult {
  latencies.sort((a, b) => a - b);
  appends.sort((a, b) => a - b);
  return {
    database,
    bus,
    mode,
    writers,
    samples: latencies.length,
    p50Ms: round(quantile(latencies, 0.5)),
    p90Ms: round(quantile(latencies, 0.9)),
    p99Ms: round(quantile(latencies, 0.99)),
    maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
    meanMs: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
    appendP50Ms: appends.length > 0 ? round(quantile(appends, 0.5)) : Number.NaN,
  };
}

/** The floor under the numbers above: publish → handler on the bus alone, one event at a time. */
async function benchBusOnly(busKind: BusKind): Promise<ModeResult> {
  const bus = await openBus(busKind);
  const category = `floor${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const deliveries = new Deliveries();
  await bus.subscribe(category, deliveries.handler);
  const latencies: number[] = [];
  try {
    for (let index = 0; index < WARMUP + SAMPLES; index += 1) {
      const event: RecordedEvent = {
        position: String(index + 1),
        transactionId: '1',
        streamId: `${category}-1`,
        version: index + 1,
        type: 'Measured',
        data: { index },
        metadata: {},
        occurredAt: new Date(),
      };
      const arrival = deliveries.arrival(event.position);
      const started = performance.now();
      await bus.publish(encodeRuns([event]));
      const arrivedAt = await arrival;
      if (index >= WARMUP) latencies.push(arrivedAt - started);
    }
  } finally {
    await bus.close();
  }
  const result = summarize('none', busKind, 'bus only', 1, latencies, []);
  process.stderr.write(`  ${busKind} bus alone: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms\n`);
  return result;
}

async function main(): Promise<void> {
  const buses: BusKind[] = backend.redisUrl ? ['redis', 'memory'] : ['memory'];
  const results: ModeResult[] = [];
  for (const bus of buses) results.push(await benchBusOnly(bus));
  for (const database of databaseKinds()) {
    for (const bus of buses) {
      process.stderr.write(`${database} + ${bus} bus: ${SAMPLES} samples sequential, ${SAMPLES} with ${WRITERS} writers\n`);
      results.push(...(await benchCombination(database, bus)));
    }
  }
  printTable(
    'commit → bus delivery latency (ms), publisher woken after each commit',
    results.map((result) => ({
      database: result.database,
      bus: result.bus,
      mode: result.writers > 1 ? `${result.mode} (${result.writers})` : result.mode,
      samples: result.samples,
      p50: result.p50Ms.toFixed(2),
      p90: result.p90Ms.toFixed(2),
      p99: result.p99Ms.toFixed(2),
      max: result.maxMs.toFixed(2),
      'append p50': Number.isNaN(result.appendP50Ms) ? '-' : result.appendP50Ms.toFixed(2),
      target: result.bus === 'redis' && result.database !== 'none' ? (result.p99Ms <= 5 ? 'ok (p99 ≤ 5 ms)' : 'MISSED (p99 > 5 ms)') : '-',
    })),
  );
  const file = await recordResult('bus-latency', { samplesPerMode: SAMPLES, writers: WRITERS, results });
  console.log(`\nmachine: ${describeMachine()}\nappended to ${file}`);
}

await main();
