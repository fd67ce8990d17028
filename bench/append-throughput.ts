/**
 * Append throughput of the event store next to raw INSERTs of the same rows, on the same backend
 * in the same run: single-event appends with 1 and 16 concurrent writers, and batch appends with 1
 * and 4 concurrent writers.
 *
 *   npx tsx bench/append-throughput.ts                      # PGlite only
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/append-throughput.ts
 *
 * Env: BENCH_SECONDS (per measured run, default 2), BENCH_ROUNDS (runs per path, default 4),
 * BENCH_BATCH (events per batch append, default 1000). Raw and store runs alternate (raw, store,
 * store, raw, ...) so table growth and background load hit both alike; the table shows the median.
 * Batches get a second reference, "raw unnest": the same rows in one INSERT … SELECT FROM unnest.
 */
import type { DatabaseKind, SqlClient } from '../subgraphs/shared/database/sql.js';
import type { DomainEvent } from '../subgraphs/shared/decider/decider.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { databaseKinds, describeMachine, median, openBenchDatabase, printTable, recordResult, round, runFor } from './lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

const metadata = { correlationId: '5f0c7d1e-8a2b-4c3d-9e4f-a1b2c3d4e5f6', actor: 'bench' };
const metadataJson = JSON.stringify(metadata);

function makeEvent(index: number): DomainEvent {
  return {
    type: 'StockReserved',
    data: { productId: 'p-1042', storeId: 's-7', reservationId: `r-${index}`, quantity: 1 + (index % 5), customerId: 'c-93' },
  };
}

interface Case {
  readonly id: string;
  readonly label: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
  /** Backends the case runs on (all when absent). */
  readonly backends?: readonly DatabaseKind[];
}

const CASES: readonly Case[] = [
  { id: 'single-1', label: 'single event, 1 writer', writers: 1, eventsPerAppend: 1 },
  { id: 'single-16', label: 'single event, 16 writers', writers: 16, eventsPerAppend: 1 },
  { id: `batch-${BATCH}`, label: `batch of ${BATCH}, 1 writer`, writers: 1, eventsPerAppend: BATCH },
  // Several ingesting clients at once, as the tracking subgraph sees them (PostgreSQL only: PGlite
  // has one connection, and single-16 already shows how it queues).
  { id: `batch-${BATCH}x4`, label: `batch of ${BATCH}, 4 writers`, writers: 4, eventsPerAppend: BATCH, backends: ['postgres'] },
];

/** Per writer loop: its own stream and the version it has reached. */
class Streams {
  private readonly versions = new Map<number, number>();
  constructor(private readonly prefix: string) {}
  id(loop: number): string {
    return `${this.prefix}-w${loop}`;
  }
  claim(loop: number, count: number): number {
    const version = this.versions.get(loop) ?? 0;
    this.versions.set(loop, version + count);
    return version;
  }
}

/** The store path: appendToStream with the exact expected version, as commands do. */
function storeWorker(sql: SqlClient, benchCase: Case, prefix: string) {
  const store = new SqlEventStore(sql);
  const streams = new Streams(prefix);
  return async (loop: number, iteration: number): Promise<number> => {
    const events = Array.from({ length: benchCase.eventsPerAppend }, (_, index) => makeEvent(iteration * benchCase.eventsPerAppend + index));
    const expectedVersion = streams.claim(loop, events.length);
    await store.appendToStream(streams.id(loop), events, { expectedVersion, metadata });
    return events.length;
  };
}

type Path = 'store' | 'raw' | 'rawUnnest';

/**
 * A second reference for batches: the same rows in one INSERT … SELECT FROM unnest (three array
 * parameters instead of 5 per row), with no version claim and nothing returned — the cheapest way
 * to put these rows into the table with one statement, i.e. the ceiling for the store's batch path.
 */
function rawUnnestWorker(sql: SqlClient, benchCase: Case, prefix: string) {
  const streams = new Streams(prefix);
  const rows = benchCase.eventsPerAppend;
  return async (loop: number, iteration: number): Promise<number> => {
    const streamId = streams.id(loop);
    const version = streams.claim(loop, rows);
    const events = Array.from({ length: rows }, (_, row) => makeEvent(iteration * rows + row));
    await sql.query(
      `INSERT INTO events (stream_id, version, type, data, metadata)
       SELECT $1, $2 + batch.ord::int, batch.type, batch.data::jsonb, $5::jsonb
       FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS batch(type, data, ord)`,
      [streamId, version, events.map((event) => event.type), events.map((event) => JSON.stringify(event.data)), metadataJson],
    );
    return rows;
  };
}

/** The raw path: the same rows, INSERTed directly (one row per statement, or one multi-row INSERT). */
function rawWorker(sql: SqlClient, benchCase: Case, prefix: string) {
  const streams = new Streams(prefix);
  const rows = benchCase.eventsPerAppend;
  const text = `INSERT INTO events (stream_id, version, type, data, metadata) VALUES ${Array.from(
    { length: rows },
    (_, row) => `($${row * 5 + 1}, $${row * 5 + 2}, $${row * 5 + 3}, $${row * 5 + 4}::jsonb, $${row * 5 + 5}::jsonb)`,
  ).join(', ')}`;
  return async (loop: number, iteration: number): Promise<number> => {
    const streamId = streams.id(loop);
    const version = streams.claim(loop, rows);
    const params: unknown[] = [];
    for (let row = 0; row < rows; row += 1) {
      const event = makeEvent(iteration * rows + row);
      params.push(streamId, version + row + 1, event.type, JSON.stringify(event.data), metadataJson);
    }
    await sql.query(text, params);
    return rows;
  };
}

interface Measurement {
  readonly eventsPerSecond: number;
  readonly events: number;
  readonly seconds: number;
}

async function measure(sql: SqlClient, benchCase: Case, path: Path, run: number): Promise<Measurement> {
  const prefix = `bench${path}${benchCase.id.replace(/-/g, '')}r${run}`;
  const worker =
    path === 'store' ? storeWorker(sql, benchCase, prefix) : path === 'raw' ? rawWorker(sql, benchCase, prefix) : rawUnnestWorker(sql, benchCase, prefix);
  const { operations, elapsedMs } = await runFor(SECONDS, benchCase.writers, worker);
  return { eventsPerSecond: (operations / elapsedMs) * 1000, events: operations, seconds: elapsedMs / 1000 };
}

interface CaseResult {
  readonly backend: DatabaseKind;
  readonly case: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
  readonly storeEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
  readonly ratio: number;
  readonly storeRuns: number[];
  readonly rawRuns: number[];
  /** Batches only: the same rows through INSERT … SELECT FROM unnest (see rawUnnestWorker). */
  readonly rawUnnestEventsPerSecond?: number;
  readonly rawUnnestRuns?: number[];
}

async function benchBackend(kind: DatabaseKind): Promise<CaseResult[]> {
  const database = await openBenchDatabase(kind, 20);
  try {
    // Warm-up: connections, plans, the first pages of the tables.
    await runFor(1, 4, storeWorker(database.sql, CASES[0]!, 'warmstore'));
    await runFor(1, 4, rawWorker(database.sql, CASES[0]!, 'warmraw'));
    const results: CaseResult[] = [];
    for (const benchCase of CASES) {
      if (benchCase.backends && !benchCase.backends.includes(kind)) continue;
      const runs: Record<Path, number[]> = { store: [], raw: [], rawUnnest: [] };
      const storeRuns = runs.store;
      const rawRuns = runs.raw;
      const batch = benchCase.eventsPerAppend > 1;
      for (let run = 0; run < ROUNDS; run += 1) {
        const paths: Path[] = batch ? ['raw', 'store', 'rawUnnest'] : ['raw', 'store'];
        const order = run % 2 === 0 ? paths : [...paths].reverse();
        for (const path of order) {
          const measurement = await measure(database.sql, benchCase, path, run);
          runs[path].push(measurement.eventsPerSecond);
          process.stderr.write(`  ${kind} ${benchCase.id} ${path} run ${run + 1}: ${Math.round(measurement.eventsPerSecond)} events/s\n`);
        }
      }
      const storeEventsPerSecond = median(storeRuns);
      const rawEventsPerSecond = median(rawRuns);
      results.push({
        backend: kind,
        case: benchCase.id,
        writers: benchCase.writers,
        eventsPerAppend: benchCase.eventsPerAppend,
        storeEventsPerSecond: Math.round(storeEventsPerSecond),
        rawEventsPerSecond: Math.round(rawEventsPerSecond),
        ratio: round(storeEventsPerSecond / rawEventsPerSecond),
        storeRuns: storeRuns.map((value) => Math.round(value)),
        rawRuns: rawRuns.map((value) => Math.round(value)),
        ...(batch ? { rawUnnestEventsPerSecond: Math.round(median(runs.rawUnnest)), rawUnnestRuns: runs.rawUnnest.map((value) => Math.round(value)) } : {}),
      });
    }
    return results;
  } finally {
    await database.close();
  }
}

/** The targets: store ≥ 50% of raw for single appends; batch ≥ 50,000 events/s on PostgreSQL. */
function verdict(result: CaseResult): string {
  if (result.eventsPerAppend === 1) return result.ratio >= 0.5 ? 'ok (≥ 0.50 of raw)' : 'MISSED (< 0.50 of raw)';
  if (result.backend === 'postgres') return result.storeEventsPerSecond >= 50_000 ? 'ok (≥ 50k/s)' : 'MISSED (< 50k/s)';
  return '-';
}

async function main(): Promise<void> {
  const all: CaseResult[] = [];
  for (const kind of databaseKinds()) {
    process.stderr.write(`${kind}: measuring (${SECONDS}s per run, ${ROUNDS} runs per path)\n`);
    all.push(...(await benchBackend(kind)));
  }
  printTable(
    `append throughput (events/s, median of ${ROUNDS} runs of ${SECONDS}s each)`,
    all.map((result) => ({
      backend: result.backend,
      case: result.case,
      store: result.storeEventsPerSecond,
      raw: result.rawEventsPerSecond,
      'store/raw': result.ratio.toFixed(2),
      'raw unnest': result.rawUnnestEventsPerSecond ?? '-',
      target: verdict(result),
    })),
  );
  const file = await recordResult('append-throughput', { secondsPerRun: SECONDS, runsPerPath: ROUNDS, results: all });
  console.log(`\nmachine: ${describeMachine()}\nappended to ${file}`);
}

await main();
