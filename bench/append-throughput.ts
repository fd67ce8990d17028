/**
 * Append throughput of the event store next to raw INSERTs of the same rows, on the same backend
 * in the same run: single-event appends with 1 and 16 concurrent writers, and batch appends.
 *
 *   npx tsx bench/append-throughput.ts                      # PGlite only
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/append-throughput.ts
 *
 * Env: BENCH_SECONDS (per measured run, default 2), BENCH_ROUNDS (runs per path, default 4),
 * BENCH_BATCH (events per batch append, default 1000). Raw and store runs alternate (raw, store,
 * store, raw, ...) so table growth and background load hit both alike; the table shows the median.
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
}

const CASES: readonly Case[] = [
  { id: 'single-1', label: 'single event, 1 writer', writers: 1, eventsPerAppend: 1 },
  { id: 'single-16', label: 'single event, 16 writers', writers: 16, eventsPerAppend: 1 },
  { id: `batch-${BATCH}`, label: `batch of ${BATCH}, 1 writer`, writers: 1, eventsPerAppend: BATCH },
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

async function measure(
  sql: SqlClient,
  benchCase: Case,
  path: 'store' | 'raw',
  run: number,
): Promise<Measurement> {
  const prefix = `bench${path}${benchCase.id.replace(/-/g, '')}r${run}`;
  const worker = path === 'store' ? storeWorker(sql, benchCase, prefix) : rawWorker(sql, benchCase, prefix);
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
}

async function benchBackend(kind: DatabaseKind): Promise<CaseResult[]> {
  const database = await openBenchDatabase(kind, 20);
  try {
    // Warm-up: connections, plans, the first pages of the tables.
    await runFor(1, 4, storeWorker(database.sql, CASES[0]!, 'warmstore'));
    await runFor(1, 4, rawWorker(database.sql, CASES[0]!, 'warmraw'));
    const results: CaseResult[] = [];
    for (const benchCase of CASES) {
      const storeRuns: number[] = [];
      const rawRuns: number[] = [];
      for (let run = 0; run < ROUNDS; run += 1) {
        const order: Array<'store' | 'raw'> = run % 2 === 0 ? ['raw', 'store'] : ['store', 'raw'];
        for (const path of order) {
          const measurement = await measure(database.sql, benchCase, path, run);
          (path === 'store' ? storeRuns : rawRuns).push(measurement.eventsPerSecond);
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
      target: verdict(result),
    })),
  );
  const file = await recordResult('append-throughput', { secondsPerRun: SECONDS, runsPerPath: ROUNDS, results: all });
  console.log(`\nmachine: ${describeMachine()}\nappended to ${file}`);
}

await main();
