// `npx tsx bench/projection-rebuild.ts [--events 200000] [--backend postgres|pglite|both]`
//
// Appends N inventory events (realistic stock streams: deliveries, reservations that are confirmed,
// released or expired, shrinkage, threshold changes) straight through the event store's batch append,
// with the inline projections in the same transaction, then times `rebuildProjections` over them.
// A baseline in the same run reads every event in the same pages without projecting (the read cost
// alone), so the ratio shows what projecting adds. Runs on a fresh PostgreSQL database when
// DATABASE_URL is set, and on an in-memory PGlite. Results are appended to
// bench/results/projection-rebuild.jsonl.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { StockEvent } from '../subgraphs/inventory/domain/index.js';
import { productStreamId, stockStreamId, storeStreamId } from '../subgraphs/inventory/domain/index.js';
import { productProjection, stockProjection, storeProjection } from '../subgraphs/inventory/projections/index.js';
import { allProjections } from '../subgraphs/projections.js';
import { openDatabase, type Database } from '../subgraphs/shared/database/connect.js';
import type { DomainEvent } from '../subgraphs/shared/decider/decider.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { rebuildProjections } from '../subgraphs/shared/projections/rebuild.js';
import { projectStream, type AnyStreamProjection } from '../subgraphs/shared/projections/stream-projection.js';

const TARGET_EVENTS_PER_SECOND = 50_000;
const RESULTS = path.resolve(import.meta.dirname, 'results/projection-rebuild.jsonl');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    backend: { type: 'string' },
    'events-per-stream': { type: 'string', default: '100' },
    'page-size': { type: 'string', default: '5000' },
    'no-record': { type: 'boolean', default: false },
  },
});
const totalEvents = Number(values.events);
const eventsPerStream = Number(values['events-per-stream']);
const pageSize = Number(values['page-size']);
const databaseUrl = process.env.DATABASE_URL;
const backends = values.backend ? (values.backend === 'both' ? ['postgres', 'pglite'] : [values.backend]) : databaseUrl ? ['postgres', 'pglite'] : ['pglite'];

// ── a deterministic workload ────────────────────────────────────────────────────────────────

/** mulberry32: the same history on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface StreamPlan {
  readonly streamId: string;
  readonly projection: AnyStreamProjection;
  readonly events: DomainEvent[];
}

/**
 * One stock stream's life: a delivery, then mostly reservations that end confirmed (a sale),
 * released or expired, with restocks when stock runs low, shrinkage and threshold changes.
 */
function stockHistory(productId: string, storeId: string, length: number, random: () => number, clock: { now: number }): StockEvent[] {
  const key = { productId, storeId };
  const events: StockEvent[] = [];
  let total: number;
  let reserved = 0;
  let sequence = 0;
  const pending: Array<{ reservationId: string; quantity: number }> = [];
  const push = (event: StockEvent) => {
    events.push(event);
    clock.now += 1000;
  };
  push({ type: 'StockAdded', data: { ...key, quantity: 50 + Math.floor(random() * 100) } });
  total = (events[0]!.data as { quantity: number }).quantity;
  while (events.length < length) {
    const roll = random();
    const available = total - reserved;
    if (available < 5 || roll < 0.08) {
      const quantity = 20 + Math.floor(random() * 80);
      total += quantity;
      push({ type: 'StockAdded', data: { ...key, quantity } });
    } else if (roll < 0.5 || pending.length === 0) {
      const quantity = 1 + Math.floor(random() * Math.min(4, available));
      const reservationId = `${productId}.${storeId}.${(sequence += 1)}`;
      reserved += quantity;
      pending.push({ reservationId, quantity });
      push({
        type: 'StockReserved',
        data: { ...key, reservationId, quantity, customerId: `customer${Math.floor(random() * 5000)}`, expiresAt: new Date(clock.now + 900_000).toISOString() },
      });
    } else if (roll < 0.8) {
      const { reservationId, quantity } = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
      reserved -= quantity;
      total -= quantity;
      push({ type: 'ReservationConfirmed', data: { ...key, reservationId, quantity } });
    } else if (roll < 0.93) {
      const { reservationId, quantity } = pending.splice(0, 1)[0]!;
      reserved -= quantity;
      push({ type: 'ReservationReleased', data: { ...key, reservationId, quantity, reason: random() < 0.5 ? 'EXPIRED' : 'RELEASED' } });
    } else if (roll < 0.97) {
      const quantity = 1 + Math.floor(random() * Math.min(3, available));
      total -= quantity;
      push({ type: 'StockRemoved', data: { ...key, quantity, reason: 'shrinkage' } });
    } else {
      push({ type: 'LowStockThresholdSet', data: { ...key, threshold: Math.floor(random() * 20) } });
    }
  }
  return events;
}

function plan(events: number): { streams: StreamPlan[]; events: number } {
  const random = prng(42);
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const stockStreams = Math.max(1, Math.round(events / eventsPerStream));
  const storeCount = Math.max(1, Math.min(50, Math.round(Math.sqrt(stockStreams / 4))));
  const productCount = Math.ceil(stockStreams / storeCount);
  const stores = Array.from({ length: storeCount }, (_, index) => `store${index}`);
  const products = Array.from({ length: productCount }, (_, index) => `product${index}`);
  const streams: StreamPlan[] = [
    ...stores.map((storeId, index) => ({
      streamId: storeStreamId(storeId),
      projection: storeProjection,
      events: [{ type: 'StoreRegistered', data: { storeId, name: `Store ${index}`, location: `City ${index % 17}` } }],
    })),
    ...products.map((productId, index) => ({
      streamId: productStreamId(productId),
      projection: productProjection,
      events: [{ type: 'ProductRegistered', data: { productId, sku: `SKU-${index}`, name: `Product ${index}`, description: null } }],
    })),
  ];
  let remaining = events - streams.length;
  for (let index = 0; index < stockStreams && remaining > 0; index += 1) {
    const productId = products[index % productCount]!;
    const storeId = stores[Math.floor(index / productCount) % storeCount]!;
    const length = index === stockStreams - 1 ? remaining : Math.min(remaining, Math.max(1, Math.round(eventsPerStream * (0.5 + random()))));
    streams.push({ streamId: stockStreamId(productId, storeId), projection: stockProjection, events: stockHistory(productId, storeId, length, random, clock) });
    remaining -= length;
  }
  return { streams, events: streams.reduce((sum, stream) => sum + stream.events.length, 0) };
}

// ── running ─────────────────────────────────────────────────────────────────────────────────

async function seed(database: Database, streams: readonly StreamPlan[], concurrency: number): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < streams.length) {
      const stream = streams[next++]!;
      await database.sql.transaction(async (tx) => {
        const appended = await new SqlEventStore(tx).appendToStream(stream.streamId, stream.events, {
          expectedVersion: 'NO_STREAM',
          metadata: { correlationId: 'bench', actor: 'bench:projection-rebuild' },
        });
        await projectStream(tx, stream.projection, appended.events);
      });
      done += 1;
      if (process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r  seeding ${done}/${streams.length} streams`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

/**
 * The read cost alone: every event, with the same statement, page size and snapshot as the
 * rebuild, rows parsed by the driver, nothing projected or written.
 */
async function readBaseline(database: Database): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  let events = 0;
  await database.sql.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    let after = '0';
    for (;;) {
      const rows = await tx.query<{ position: string }>(
        `SELECT position, transaction_id, stream_id, version, type, data, metadata,
                (extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_ms
         FROM events
         WHERE position > $1::bigint
         ORDER BY position LIMIT $2`,
        [after, pageSize],
      );
      if (rows.length === 0) break;
      events += rows.length;
      after = rows[rows.length - 1]!.position;
    }
  });
  return { events, seconds: (performance.now() - started) / 1000 };
}

async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tributary_bench_${randomUUID().replace(/-/g, '')}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const rate = (events: number, seconds: number) => Math.round(events / seconds);

/**
 * CPU seconds used so far by this process and, for a local PostgreSQL, by the server process of the
 * connection (from /proc): on a shared machine, wall time depends on what else runs, CPU time much
 * less. PGlite runs inside this process, so its work is in the process's time.
 */
function cpuClock(backendPid: number | undefined): () => { node: number; postgres: number | undefined } {
  const postgresSeconds = () => {
    if (backendPid === undefined) return undefined;
    try {
      const fields = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  };
  return () => {
    const usage = process.cpuUsage();
    return { node: (usage.user + usage.system) / 1e6, postgres: postgresSeconds() };
  };
}

async function measured<T>(clock: ReturnType<typeof cpuClock>, work: () => Promise<T>) {
  const started = { wall: performance.now(), ...clock() };
  const value = await work();
  const ended = clock();
  return {
    value,
    wall: (performance.now() - started.wall) / 1000,
    nodeCpu: ended.node - started.node,
    postgresCpu: ended.postgres !== undefined && started.postgres !== undefined ? ended.postgres - started.postgres : undefined,
  };
}

async function benchmark(backend: string) {
  const workload = plan(totalEvents);
  const fresh = backend === 'postgres' ? await freshPostgres(databaseUrl!) : undefined;
  let database = await openDatabase(fresh ? { url: fresh.url, maxConnections: 10 } : {});
  try {
    const seedStarted = performance.now();
    await seed(database, workload.streams, backend === 'postgres' ? 8 : 1);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    let backendPid: number | undefined;
    if (fresh) {
      await database.sql.query('VACUUM ANALYZE events');
      // One connection from here on, so that its server process is the one doing the work.
      await database.close();
      database = await openDatabase({ url: fresh.url, maxConnections: 1, migrate: false });
      const [row] = await database.sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      backendPid = row?.pid;
    }
    const clock = cpuClock(backendPid);

    const baseline = await measured(clock, () => readBaseline(database));
    const rebuild = await measured(clock, () => rebuildProjections(database.sql, allProjections, { pageSize, replace: true }));
    const report = rebuild.value;
    if (report.events !== workload.events) throw new Error(`rebuild read ${report.events} events, expected ${workload.events}`);
    // The read alone once more, after the rebuild, so cache warm-up does not favour either side.
    const baselineAgain = await measured(clock, () => readBaseline(database));
    const read = baseline.wall <= baselineAgain.wall ? baseline : baselineAgain;
    const readSeconds = read.value.seconds;
    const cpu = (run: { nodeCpu: number; postgresCpu: number | undefined }) => run.nodeCpu + (run.postgresCpu ?? 0);

    const result = {
      date: new Date().toISOString(),
      bench: 'projection-rebuild',
      backend,
      events: report.events,
      streams: workload.streams.length,
      rows: report.rows,
      equal: report.equal,
      seedSeconds: Number(seedSeconds.toFixed(3)),
      rebuildSeconds: Number(report.seconds.toFixed(3)),
      rebuildEventsPerSecond: rate(report.events, report.seconds),
      baselineReadSeconds: Number(readSeconds.toFixed(3)),
      baselineEventsPerSecond: rate(read.value.events, readSeconds),
      rebuildToReadRatio: Number((report.seconds / readSeconds).toFixed(2)),
      rebuildCpuSeconds: {
        node: Number(rebuild.nodeCpu.toFixed(3)),
        postgres: rebuild.postgresCpu === undefined ? null : Number(rebuild.postgresCpu.toFixed(3)),
      },
      rebuildEventsPerCpuSecond: rate(report.events, cpu(rebuild)),
      baselineCpuSeconds: { node: Number(read.nodeCpu.toFixed(3)), postgres: read.postgresCpu === undefined ? null : Number(read.postgresCpu.toFixed(3)) },
      baselineEventsPerCpuSecond: rate(read.value.events, cpu(read)),
      targetEventsPerSecond: TARGET_EVENTS_PER_SECOND,
      meetsTarget: rate(report.events, report.seconds) >= TARGET_EVENTS_PER_SECOND,
      pageSize,
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    };
    console.log(
      `${backend.padEnd(8)} ${result.events} events, ${result.streams} streams, ${result.rows} rows\n` +
        `         rebuild   ${result.rebuildSeconds.toFixed(2)} s  ${result.rebuildEventsPerSecond.toLocaleString('en')} events/s ` +
        `(target ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')}: ${result.meetsTarget ? 'met' : 'MISSED'})\n` +
        `         read only ${result.baselineReadSeconds.toFixed(2)} s  ${result.baselineEventsPerSecond.toLocaleString('en')} events/s\n` +
        `         cpu time  rebuild ${cpu(rebuild).toFixed(2)} s (${result.rebuildEventsPerCpuSecond.toLocaleString('en')} events per cpu-second), ` +
        `read ${cpu(read).toFixed(2)} s; load average ${result.loadAverage.join(' ')}\n` +
        `         rebuild / read = ${result.rebuildToReadRatio}×; rebuilt models ${report.equal ? 'equal' : 'DIFFER from'} the inline ones` +
        ` (seeding took ${result.seedSeconds.toFixed(1)} s)`,
    );
    return result;
  } finally {
    await database.close();
    await fresh?.drop();
  }
}

const results = [];
for (const backend of backends) {
  if (backend === 'postgres' && !databaseUrl) throw new Error('--backend postgres needs DATABASE_URL');
  results.push(await benchmark(backend));
}
if (!values['no-record']) {
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await appendFile(RESULTS, results.map((result) => `${JSON.stringify(result)}\n`).join(''));
  console.log(`appended ${results.length} result(s) to ${path.relative(process.cwd(), RESULTS)}`);
}
