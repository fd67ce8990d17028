/**
 * Command latency against stream length: `addStock` on stock streams that already hold N events,
 * as the inventory subgraph runs it (from the stream's snapshot on, writing only the rows the new
 * event changes), against a baseline measured in the same run on streams of the same length: the
 * same command read and projected from the stream's first event (what every command did before
 * snapshots).
 *
 * The streams are filled through the event store's batch append with a realistic mix (deliveries,
 * and every tenth event a reservation, confirmed or released right after), and their read models
 * projected once, before the clock starts. The first command on a snapshotted stream writes its
 * first snapshot: it is part of the warm-up, not measured.
 *
 *   npx tsx bench/command-stream-length.ts                         # PGlite
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/command-stream-length.ts
 *   options: --lengths 100,1000,5000,20000  --commands 50  --warmup 5
 *
 * Appends one line per backend to bench/results/command-stream-length.jsonl.
 */
import '../bin/production-mode.js';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { inventoryCommands } from '../subgraphs/inventory/commands/inventory-commands.js';
import { STOCK_EVENTS, stockDecider, stockSnapshots, stockStreamId, type StockCommand, type StockEvent } from '../subgraphs/inventory/domain/index.js';
import { stockProjection } from '../subgraphs/inventory/projections/index.js';
import { openDatabase, type Database } from '../subgraphs/shared/database/connect.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { createPlatform, type Platform } from '../subgraphs/shared/platform.js';
import { projectStream } from '../subgraphs/shared/projections/stream-projection.js';
import { createTestDatabase } from '../test/support/environment.js';
import { databaseKinds, median, printTable, quantile, recordResult, round } from './lib.js';

const { values } = parseArgs({
  options: {
    lengths: { type: 'string', default: '100,1000,5000,20000' },
    commands: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
  },
});
const LENGTHS = values.lengths.split(',').map(Number);
const COMMANDS = Number(values.commands);
const WARMUP = Number(values.warmup);
const PRODUCT = 'bench-product';
const metadata = { correlationId: 'bench-stream-length', actor: 'bench' };

type Path = 'snapshots' | 'full replay';

/** A valid stock history of `length` events: deliveries, and every tenth event a reservation settled by the next. */
function history(storeId: string, length: number): StockEvent[] {
  const key = { productId: PRODUCT, storeId };
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const events: StockEvent[] = [];
  for (let index = 0; index < length; index += 1) {
    const reservationId = `r-${storeId}-${index - (index % 10 === 8 ? 1 : 0)}`;
    if (index % 10 === 7) events.push({ type: 'StockReserved', data: { ...key, reservationId, quantity: 1, customerId: 'c', expiresAt } });
    else if (index % 20 === 8) events.push({ type: 'ReservationConfirmed', data: { ...key, reservationId, quantity: 1 } });
    else if (index % 10 === 8) events.push({ type: 'ReservationReleased', data: { ...key, reservationId, quantity: 1, reason: 'RELEASED' } });
    else events.push({ type: 'StockAdded', data: { ...key, quantity: 2 } });
  }
  return events;
}

async function fill(platform: Platform, storeId: string, length: number): Promise<void> {
  const streamId = stockStreamId(PRODUCT, storeId);
  const events = history(storeId, length);
  await platform.db.sql.transaction(async (tx) => {
    const store = new SqlEventStore(tx);
    for (let start = 0; start < events.length; start += 1000) {
      await store.appendToStream(streamId, events.slice(start, start + 1000), { expectedVersion: start, metadata });
    }
    await projectStream(tx, stockProjection, await store.readStream(streamId));
  });
}

/** The baseline: the same command, decided from the stream's first event and projected from a fold of all of it. */
function addStockFromFirstEvent(platform: Platform, storeId: string) {
  const command: StockCommand = { type: 'AddStock', productId: PRODUCT, storeId, quantity: 1 };
  return platform.execute({
    streamId: stockStreamId(PRODUCT, storeId),
    events: STOCK_EVENTS,
    decider: stockDecider,
    command,
    metadata,
    // The same reference check as the subgraph's command.
    precheck: async (tx) => {
      await tx.query('SELECT EXISTS (SELECT 1 FROM products WHERE id = $1) AS product, EXISTS (SELECT 1 FROM stores WHERE id = $2) AS store', [
        PRODUCT,
        storeId,
      ]);
    },
    project: (tx, stream) => projectStream(tx, stockProjection, stream.history),
  });
}

async function measure(run: () => Promise<unknown>): Promise<number[]> {
  for (let index = 0; index < WARMUP; index += 1) await run();
  const times: number[] = [];
  for (let index = 0; index < COMMANDS; index += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function openBackend(kind: 'postgres' | 'pglite'): Promise<{ database: Database; close: () => Promise<void> }> {
  if (kind === 'postgres') {
    const test = await createTestDatabase();
    return { database: test.database, close: () => test.drop() };
  }
  const database = await openDatabase({});
  return { database, close: () => database.close() };
}

async function main(): Promise<void> {
  for (const kind of databaseKinds()) {
    const backend = await openBackend(kind);
    const platform = await createPlatform({ database: backend.database, logger: pino({ level: 'silent' }) });
    const commands = inventoryCommands(platform);
    const rows: Array<Record<string, string | number>> = [];
    const results: Array<Record<string, unknown>> = [];
    try {
      await commands.registerProduct({ id: PRODUCT, sku: 'BENCH-LEN', name: 'Stream length' }, metadata);
      for (const length of LENGTHS) {
        const measured = {} as Record<Path, number[]>;
        for (const path of ['full replay', 'snapshots'] as const) {
          const storeId = `${path === 'snapshots' ? 'snap' : 'full'}-${length}`;
          await commands.registerStore({ id: storeId, name: storeId }, metadata);
          await fill(platform, storeId, length);
          measured[path] =
            path === 'snapshots'
              ? await measure(() => commands.addStock({ productId: PRODUCT, storeId, quantity: 1 }, metadata))
              : await measure(() => addStockFromFirstEvent(platform, storeId));
        }
        const summary = (times: number[]) => ({ p50: round(median(times)), p99: round(quantile(times, 0.99)) });
        const full = summary(measured['full replay']);
        const snap = summary(measured.snapshots);
        results.push({ length, fullReplayMs: full, snapshotsMs: snap, p50Ratio: round(full.p50 / snap.p50) });
        rows.push({
          'events in stream': length.toLocaleString('en-US'),
          'full replay p50 ms': full.p50,
          'p99 ms': full.p99,
          'snapshots p50 ms': snap.p50,
          'snapshots p99 ms': snap.p99,
          'full / snapshots (p50)': round(full.p50 / snap.p50),
        });
        console.log(`  ${kind} ${length}: full replay p50 ${full.p50} ms, snapshots p50 ${snap.p50} ms`);
      }
    } finally {
      await platform.close();
      await backend.close();
    }
    printTable(
      `addStock latency by stream length (${kind}; ${COMMANDS} commands after ${WARMUP} warm-up; snapshot every ${stockSnapshots.every} events)`,
      rows,
    );
    console.log(
      `recorded in ${await recordResult('command-stream-length', { backend: kind, commands: COMMANDS, warmup: WARMUP, every: stockSnapshots.every, results })}`,
    );
  }
}

await main();
