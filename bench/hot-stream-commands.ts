/**
 * Commands per second on one hot stock stream: `reserveStock` of one unit by 1, 16 and 1,000
 * concurrent writers, none sending an expectedVersion, as the inventory subgraph runs it. The
 * baseline, measured in the same run on a stream of its own at each level, is how commands ran
 * before they took turns: optimistic, a writer that lost the race starting over (up to 20 times,
 * then CONCURRENCY_CONFLICT). The serialized commands take turns per stream (in the process, then
 * through the stream's advisory lock). Both run the same command code; only the concurrency
 * option of handleCommand differs.
 *
 * Every level starts on a fresh stock level with plenty of stock and runs a fixed number of
 * commands (so both modes decide against states of the same size); afterwards the stream and the
 * read model are checked: every success is one StockReserved event, reserved equals the successes.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/hot-stream-commands.ts
 *   npx tsx bench/hot-stream-commands.ts                 # PGlite (one connection: both modes take turns anyway)
 *   options: --levels 1,16,1000  --commands 2000  --modes optimistic,serialized
 *
 * Appends one line per backend to bench/results/hot-stream-commands.jsonl.
 */
import '../bin/production-mode.js';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { inventoryCommands } from '../subgraphs/inventory/commands/inventory-commands.js';
import { stockStreamId } from '../subgraphs/inventory/domain/index.js';
import { handleCommand, type CommandConcurrency } from '../subgraphs/shared/commands/handle-command.js';
import { isDomainError } from '../subgraphs/shared/errors/codes.js';
import { createPlatform, type Platform } from '../subgraphs/shared/platform.js';
import { backend, createTestDatabase } from '../test/support/environment.js';
import { describeMachine, median, printTable, quantile, recordResult, round } from './lib.js';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,16,1000' },
    commands: { type: 'string', default: '2000' },
    modes: { type: 'string', default: 'optimistic,serialized' },
  },
});
const LEVELS = values.levels.split(',').map(Number);
const MAX_COMMANDS = Number(values.commands);
const MODES = values.modes.split(',') as CommandConcurrency[];
const PRODUCT = 'hot-product';
const metadata = { correlationId: 'bench-hot-stream', actor: 'bench' };

/** Commands per level: enough for every writer to send a few, at most --commands. */
const commandsAt = (concurrency: number): number => Math.min(MAX_COMMANDS, Math.max(200, concurrency * 2));

/** The platform with its commands run under `mode`: the same command code, another concurrency. */
function platformRunning(platform: Platform, mode: CommandConcurrency): Platform {
  return { ...platform, execute: (spec) => platform.afterCommit(handleCommand(platform.db.sql, spec, { concurrency: mode })) };
}

interface LevelResult {
  readonly mode: CommandConcurrency;
  readonly concurrency: number;
  readonly commands: number;
  readonly perSecond: number;
  readonly succeeded: number;
  readonly conflicts: number;
  readonly otherErrors: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function runLevel(platform: Platform, mode: CommandConcurrency, concurrency: number): Promise<LevelResult> {
  const commands = inventoryCommands(platformRunning(platform, mode));
  const storeId = `${mode}-${concurrency}-${Date.now()}`;
  await commands.registerStore({ id: storeId, name: storeId }, metadata);
  await commands.addStock({ productId: PRODUCT, storeId, quantity: 1_000_000 }, metadata);
  const total = commandsAt(concurrency);
  let next = 0;
  let succeeded = 0;
  let conflicts = 0;
  const otherErrors: Record<string, number> = {};
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const sent = performance.now();
        try {
          await commands.reserveStock({ productId: PRODUCT, storeId, quantity: 1, customerId: 'bench', ttlSeconds: 3600 }, metadata);
          succeeded += 1;
        } catch (error) {
          const code = isDomainError(error) ? error.code : 'UNEXPECTED';
          if (code === 'CONCURRENCY_CONFLICT') conflicts += 1;
          else otherErrors[code] = (otherErrors[code] ?? 0) + 1;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  await checkStream(platform, storeId, succeeded);
  latencies.sort((a, b) => a - b);
  return {
    mode,
    concurrency,
    commands: total,
    // Every command got an answer; a conflict is an answer the client did not want.
    perSecond: round((total * 1000) / elapsedMs, 1),
    succeeded,
    conflicts,
    otherErrors,
    p50Ms: round(median(latencies)),
    p99Ms: round(quantile(latencies, 0.99)),
  };
}

/** Every success is in the store once, and the read model agrees (no lost or doubled reservation). */
async function checkStream(platform: Platform, storeId: string, succeeded: number): Promise<void> {
  const events = await platform.store.readStream(stockStreamId(PRODUCT, storeId));
  const reserved = events.filter((event) => event.type === 'StockReserved').length;
  const [row] = await platform.db.sql.query<{ reserved: number; total: number }>(
    'SELECT reserved, total FROM stock_levels WHERE product_id = $1 AND store_id = $2',
    [PRODUCT, storeId],
  );
  if (reserved !== succeeded || row?.reserved !== succeeded || row.total < row.reserved) {
    throw new Error(`stream ${storeId}: ${succeeded} successes, ${reserved} StockReserved events, read model ${JSON.stringify(row)}`);
  }
}

async function main(): Promise<void> {
  const kind = backend.databaseUrl ? 'postgres' : 'pglite';
  const database = await createTestDatabase();
  const platform = await createPlatform({ database: database.database, logger: pino({ level: 'silent' }) });
  const results: LevelResult[] = [];
  try {
    await inventoryCommands(platform).registerProduct({ id: PRODUCT, sku: 'HOT-1', name: 'Hot product' }, metadata);
    for (const concurrency of LEVELS) {
      for (const mode of MODES) {
        const result = await runLevel(platform, mode, concurrency);
        results.push(result);
        console.log(`  ${kind} ${mode} ×${concurrency}: ${result.perSecond}/s, ${result.conflicts} conflicts, p50 ${result.p50Ms} ms`);
      }
    }
  } finally {
    await platform.close();
    await database.drop();
  }
  const baseline = (concurrency: number) => results.find((result) => result.mode === 'optimistic' && result.concurrency === concurrency);
  printTable(
    `reserveStock on one stock stream (${kind}; ${describeMachine()})`,
    results.map((result) => ({
      writers: result.concurrency,
      mode: result.mode,
      commands: result.commands,
      'commands/s': result.perSecond,
      'vs optimistic': round(result.perSecond / (baseline(result.concurrency)?.perSecond ?? Number.NaN)),
      succeeded: result.succeeded,
      CONCURRENCY_CONFLICT: result.conflicts,
      'other errors':
        Object.entries(result.otherErrors)
          .map(([code, count]) => `${code} ${count}`)
          .join(', ') || '0',
      'p50 ms': result.p50Ms,
      'p99 ms': result.p99Ms,
    })),
  );
  console.log(`recorded in ${await recordResult('hot-stream-commands', { backend: kind, levels: LEVELS, results })}`);
}

await main();
