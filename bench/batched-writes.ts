/**
 * Batched read-model writes through Kysely (`insertRows` + `onConflict`, as the projections build
 * them) against the hand-written statements they replaced (`INSERT … SELECT * FROM unnest($1::text[],
 * $2::int[], …) ON CONFLICT … DO UPDATE SET …`, the SQL of the projections before the move to
 * Kysely), on the same backend in the same run, through the same `SqlClient`.
 *
 *   npx tsx bench/batched-writes.ts                      # PGlite only
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/batched-writes.ts   # PostgreSQL, then PGlite
 *
 * Tables, each written as its projection writes it:
 * - `stock_levels`: upsert on (product_id, store_id), every other column from EXCLUDED
 *   (`fromExcluded(columnsExcept(…))`, stock-projection.ts);
 * - `reservations`: upsert on id, quantity/status/expires_at/updated_at from EXCLUDED
 *   (stock-projection.ts);
 * - `tracking_counters`: the additive upsert of activity-projection.ts (counts summed, greatest
 *   position and time kept), as a data-modifying CTE whose rows are counted. The projection's
 *   statement also carries a `tracking_revenue` CTE; both paths here leave it out alike.
 *
 * Each batch is one `sql.transaction` with one statement in it, as a projection's write. The
 * Kysely path does what the projections do inside it: `kyselyOver(tx)` (a Kysely bound to the
 * transaction client over parts shared by all), build, compile, execute. The hand-written path builds the parameter arrays
 * and calls `tx.query`. Two cases: "insert" (keys no run has used, so every row is inserted) and
 * "update" (the same keys every batch, inserted before the runs, so every row takes the DO UPDATE
 * branch). Each (table, case, batch size) starts from a truncated table, and each measured run
 * after a CHECKPOINT (an in-memory PGlite keeps all its WAL otherwise, and 0.4.3 stalls for
 * good at about 1.4 GB of process memory). One writer; the measured runs alternate (kysely, hand, hand, kysely, …) so table growth
 * and background load hit both alike; the table shows medians and the per-round kysely/hand ratio,
 * and this process's CPU time per batch (on a shared machine the steadier figure of what each path
 * costs the writer; with PGlite it includes the database's work, which runs in this process).
 *
 * The second table is the JS-side cost alone, no database, for a batch of rows already made:
 * `kyselyOver(<new client>)` + build + `.compile()` (what a projection's write does per transaction;
 * also on one shared Kysely instance) against the hand-written path's parameter arrays. These are
 * tight-loop figures: interleaved with the database work, the same code costs more (colder caches,
 * more GC), so the rows/s of the first table are the figure of record.
 *
 * Env: BENCH_SECONDS (per measured run, default 2), BENCH_ROUNDS (runs per path, default 5),
 * BENCH_SIZES (rows per batch, default 1,100,1000), BENCH_BACKENDS (of `postgres,pglite`, default
 * every one available: with DATABASE_URL both), BENCH_BUILD_MS (per build measurement, default 200; 5 alternating
 * measurements per path after a warm-up, median).
 */
import { sql as rawSql, type Compilable, type CompiledQuery, type QueryCreator } from 'kysely';
import type { ColumnName, ColumnValues } from '../subgraphs/shared/database/kysely/arrays.js';
import { columnsExcept, fromExcluded, insertRows } from '../subgraphs/shared/database/kysely/batch-writes.js';
import { createKysely, kyselyOver, type KyselyDatabase, type TableName, type Tables } from '../subgraphs/shared/database/kysely/database.js';
import type { DatabaseKind, SqlClient } from '../subgraphs/shared/database/sql.js';
import { databaseKinds, describeMachine, median, openBenchDatabase, printTable, recordResult, round, runFor } from './lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const BUILD_MS = Number(process.env.BENCH_BUILD_MS ?? 200);
const BACKENDS = process.env.BENCH_BACKENDS?.split(',');

type Mode = 'kysely' | 'hand';
type WriteCase = 'insert' | 'update';

/** A statement Kysely can compile and run. */
type KyselyStatement = Compilable<unknown> & { execute(): Promise<unknown> };

/** A hand-written statement: its text and its parameters. */
interface HandWritten {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** One batch of rows of a table, ready to be written either way. */
interface Batch {
  readonly rows: number;
  kysely(db: KyselyDatabase): KyselyStatement;
  handWritten(): HandWritten;
}

/** One table as its projection writes it. */
interface TableCase {
  readonly id: string;
  readonly table: string;
  /** The key columns, to read rows back in one order (equivalence check). */
  readonly orderBy: string;
  /** `count` rows whose keys start with `prefix`; `iteration` moves the non-key values. */
  batch(prefix: string, count: number, iteration: number): Batch;
}

type RowsOf<Table extends TableName> = ColumnValues<Table, ColumnName<Table>>[];

/** Ties a table's rows to its two statements (the generic parameter stays inside). */
function tableCase<Table extends TableName>(spec: {
  readonly id: string;
  readonly table: string;
  readonly orderBy: string;
  readonly rows: (prefix: string, count: number, iteration: number) => RowsOf<Table>;
  readonly kysely: (db: KyselyDatabase, rows: RowsOf<Table>) => KyselyStatement;
  readonly text: string;
  readonly params: (rows: RowsOf<Table>) => unknown[];
}): TableCase {
  return {
    id: spec.id,
    table: spec.table,
    orderBy: spec.orderBy,
    batch(prefix, count, iteration) {
      const rows = spec.rows(prefix, count, iteration);
      return { rows: rows.length, kysely: (db) => spec.kysely(db, rows), handWritten: () => ({ text: spec.text, params: spec.params(rows) }) };
    },
  };
}

const BASE_TIME = Date.parse('2026-12-07T12:00:00.000Z');
const instant = (offsetSeconds: number): Date => new Date(BASE_TIME + offsetSeconds * 1000);

const stockLevels = tableCase<'stockLevels'>({
  id: 'stock_levels',
  table: 'stock_levels',
  orderBy: 'product_id, store_id',
  rows: (prefix, count, iteration) =>
    Array.from({ length: count }, (_, index) => ({
      productId: `${prefix}-p${index}`,
      storeId: `s-${index % 7}`,
      total: 100 + iteration,
      reserved: (iteration + index) % 20,
      lowStockThreshold: 10,
      version: iteration + 1,
      position: String(1_000_000 + iteration * count + index),
      updatedAt: instant(iteration),
    })),
  // stock-projection.ts
  kysely: (db, rows) =>
    insertRows(db, 'stockLevels', rows).onConflict((conflict) =>
      conflict.columns(['productId', 'storeId']).doUpdateSet(fromExcluded('stockLevels', columnsExcept('stockLevels', ['productId', 'storeId']))),
    ),
  // stock-projection.ts before Kysely (git show 5e53707~1:subgraphs/inventory/projections/stock-projection.ts)
  text: `INSERT INTO stock_levels (product_id, store_id, total, reserved, low_stock_threshold, version, position, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::timestamptz[])
         ON CONFLICT (product_id, store_id) DO UPDATE SET total = EXCLUDED.total, reserved = EXCLUDED.reserved,
           low_stock_threshold = EXCLUDED.low_stock_threshold, version = EXCLUDED.version,
           position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
  params: (levels) => [
    levels.map((row) => row.productId),
    levels.map((row) => row.storeId),
    levels.map((row) => row.total),
    levels.map((row) => row.reserved),
    levels.map((row) => row.lowStockThreshold),
    levels.map((row) => row.version),
    levels.map((row) => row.position),
    levels.map((row) => toIso(row.updatedAt)),
  ],
});

const reservations = tableCase<'reservations'>({
  id: 'reservations',
  table: 'reservations',
  orderBy: 'id',
  rows: (prefix, count, iteration) =>
    Array.from({ length: count }, (_, index) => ({
      id: `${prefix}-r${index}`,
      productId: `p-${index % 50}`,
      storeId: `s-${index % 7}`,
      quantity: 1 + ((iteration + index) % 5),
      customerId: `c-${index % 97}`,
      status: iteration % 2 === 0 ? 'PENDING' : 'CONFIRMED',
      expiresAt: instant(iteration + 900),
      createdAt: instant(0),
      updatedAt: instant(iteration),
    })),
  // stock-projection.ts
  kysely: (db, rows) =>
    insertRows(db, 'reservations', rows).onConflict((conflict) =>
      conflict.column('id').doUpdateSet(fromExcluded('reservations', ['quantity', 'status', 'expiresAt', 'updatedAt'])),
    ),
  // stock-projection.ts before Kysely
  text: `INSERT INTO reservations (id, product_id, store_id, quantity, customer_id, status, expires_at, created_at, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
         ON CONFLICT (id) DO UPDATE SET quantity = EXCLUDED.quantity, status = EXCLUDED.status,
           expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
  params: (rows) => [
    rows.map((row) => row.id),
    rows.map((row) => row.productId),
    rows.map((row) => row.storeId),
    rows.map((row) => row.quantity),
    rows.map((row) => row.customerId),
    rows.map((row) => row.status),
    rows.map((row) => toIso(row.expiresAt)),
    rows.map((row) => toIso(row.createdAt)),
    rows.map((row) => toIso(row.updatedAt)),
  ],
});

/** activity-projection.ts's `addToCounters`, in its CTE, without the revenue part. */
const addToCounters = (db: QueryCreator<Tables>, counters: RowsOf<'trackingCounters'>) =>
  insertRows(db, 'trackingCounters', counters)
    .onConflict((conflict) =>
      conflict.columns(['scope', 'subjectId', 'dimension', 'key']).doUpdateSet((eb) => ({
        impressions: eb('trackingCounters.impressions', '+', eb.ref('excluded.impressions')),
        conversions: eb('trackingCounters.conversions', '+', eb.ref('excluded.conversions')),
        units: eb('trackingCounters.units', '+', eb.ref('excluded.units')),
        position: eb.fn('greatest', ['trackingCounters.position', 'excluded.position']),
        updatedAt: eb.fn('greatest', ['trackingCounters.updatedAt', 'excluded.updatedAt']),
      })),
    )
    .returning(rawSql<number>`1`.as('one'));

const DIMENSIONS = ['total', 'influencer', 'campaign', 'hour'] as const;

const trackingCounters = tableCase<'trackingCounters'>({
  id: 'tracking_counters',
  table: 'tracking_counters',
  orderBy: 'scope, subject_id, dimension, key',
  rows: (prefix, count, iteration) =>
    Array.from({ length: count }, (_, index) => ({
      scope: index % 2 === 0 ? 'campaign' : 'influencer',
      subjectId: `${prefix}-${Math.floor(index / 8)}`,
      dimension: DIMENSIONS[index % DIMENSIONS.length]!,
      key: `k${index}`,
      impressions: 3 + (index % 11),
      conversions: index % 3,
      units: index % 4,
      position: String(2_000_000 + iteration * count + index),
      updatedAt: instant(iteration),
    })),
  kysely: (db, rows) =>
    db.with('counted', () => addToCounters(db, rows)).selectNoFrom((eb) => [eb.selectFrom('counted').select(eb.fn.countAll().as('rows')).as('counters')]),
  // activity-projection.ts before Kysely (its `counted` CTE)
  text: `WITH counted AS (
           INSERT INTO tracking_counters (scope, subject_id, dimension, key, impressions, conversions, units, position, updated_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::timestamptz[])
           ON CONFLICT (scope, subject_id, dimension, key) DO UPDATE SET
             impressions = tracking_counters.impressions + EXCLUDED.impressions,
             conversions = tracking_counters.conversions + EXCLUDED.conversions,
             units = tracking_counters.units + EXCLUDED.units,
             position = GREATEST(tracking_counters.position, EXCLUDED.position),
             updated_at = GREATEST(tracking_counters.updated_at, EXCLUDED.updated_at)
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM counted) AS counters`,
  params: (counters) => [
    counters.map((row) => row.scope),
    counters.map((row) => row.subjectId),
    counters.map((row) => row.dimension),
    counters.map((row) => row.key),
    counters.map((row) => row.impressions),
    counters.map((row) => row.conversions),
    counters.map((row) => row.units),
    counters.map((row) => row.position),
    counters.map((row) => toIso(row.updatedAt)),
  ],
});

const TABLES: readonly TableCase[] = [stockLevels, reservations, trackingCounters];

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** Writes one batch the given way, in a transaction of its own as a projection's write. */
async function writeBatch(sql: SqlClient, batch: Batch, mode: Mode): Promise<void> {
  await sql.transaction(async (tx) => {
    if (mode === 'kysely') {
      await batch.kysely(kyselyOver(tx)).execute();
    } else {
      const { text, params } = batch.handWritten();
      await tx.query(text, params);
    }
  });
}

/**
 * Both paths leave the same rows: each writes the same batch twice (insert, then update) in a
 * transaction rolled back, and the rows read back must be equal.
 */
async function checkEquivalence(sql: SqlClient): Promise<void> {
  const Rollback = class extends Error {};
  for (const table of TABLES) {
    const read: Record<Mode, string> = { kysely: '', hand: '' };
    for (const mode of ['kysely', 'hand'] as const) {
      try {
        await sql.transaction(async (tx) => {
          for (const iteration of [1, 2]) {
            const batch = table.batch('equiv', 25, iteration);
            if (mode === 'kysely') await batch.kysely(kyselyOver(tx)).execute();
            else await tx.query(batch.handWritten().text, batch.handWritten().params);
          }
          read[mode] = JSON.stringify(await tx.query(`SELECT * FROM ${table.table} ORDER BY ${table.orderBy}`));
          throw new Rollback();
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
    }
    if (read.kysely !== read.hand || read.kysely === '[]') throw new Error(`${table.id}: the two paths wrote different rows`);
  }
}

interface Run {
  readonly rowsPerSecond: number;
  readonly batches: number;
  /**
   * CPU time of this process per batch (µs, user + system): what either path costs the writer,
   * whatever else the machine runs (a shared machine's wait for a core shows in rows/s only).
   */
  readonly cpuUsPerBatch: number;
}

/** One measured run: batches written one after another for SECONDS. */
async function measure(sql: SqlClient, table: TableCase, size: number, writeCase: WriteCase, mode: Mode, tag: string): Promise<Run> {
  const cpuBefore = process.cpuUsage();
  const { operations, elapsedMs } = await runFor(SECONDS, 1, async (_loop, iteration) => {
    // insert: keys no batch has used; update: the keys inserted before the runs.
    const prefix = writeCase === 'insert' ? `${tag}-i${iteration}` : `upd-${size}`;
    const batch = table.batch(prefix, size, iteration + 1);
    await writeBatch(sql, batch, mode);
    return batch.rows;
  });
  const cpu = process.cpuUsage(cpuBefore);
  const batches = operations / size;
  return { rowsPerSecond: (operations / elapsedMs) * 1000, batches, cpuUsPerBatch: (cpu.user + cpu.system) / batches };
}

interface CaseResult {
  readonly backend: DatabaseKind;
  readonly table: string;
  readonly case: WriteCase;
  readonly rowsPerBatch: number;
  readonly kyselyRowsPerSecond: number;
  readonly handRowsPerSecond: number;
  /** median kysely / median hand. */
  readonly ratio: number;
  /** kysely / hand of each round (the two runs of a round are back to back). */
  readonly roundRatios: number[];
  readonly kyselyRuns: number[];
  readonly handRuns: number[];
  /** Median CPU µs of this process per batch (with PGlite, the database's work included). */
  readonly kyselyCpuUsPerBatch: number;
  readonly handCpuUsPerBatch: number;
}

async function benchBackend(kind: DatabaseKind): Promise<CaseResult[]> {
  const database = await openBenchDatabase(kind, 4);
  const { sql } = database;
  try {
    await checkEquivalence(sql);
    // A warm-up of both paths (plans, connections, JIT).
    for (const table of TABLES) {
      for (const mode of ['kysely', 'hand'] as const)
        await runFor(0.3, 1, async (_loop, iteration) => {
          await writeBatch(sql, table.batch(`warm-${mode}-${iteration}`, 100, iteration), mode);
          return 1;
        });
    }
    const results: CaseResult[] = [];
    for (const table of TABLES) {
      for (const writeCase of ['insert', 'update'] as const) {
        for (const size of SIZES) {
          // Each cell starts from an empty table holding only the rows its update case rewrites.
          await sql.exec(`TRUNCATE ${table.table}`);
          await writeBatch(sql, table.batch(`upd-${size}`, size, 0), 'hand');
          const runs: Record<Mode, number[]> = { kysely: [], hand: [] };
          const cpu: Record<Mode, number[]> = { kysely: [], hand: [] };
          for (let run = 0; run < ROUNDS; run += 1) {
            const order: Mode[] = run % 2 === 0 ? ['kysely', 'hand'] : ['hand', 'kysely'];
            for (const mode of order) {
              // Outside the timed run: every run starts with no checkpoint due, and an in-memory
              // PGlite, which does not checkpoint on its own, frees its WAL. Without it PGlite
              // 0.4.3 stalled for good (a busy loop, no error) once the process reached about
              // 1.4 GB, some 1.7M rows in (cf. electric-sql/pglite#965).
              await sql.exec('CHECKPOINT');
              const measured = await measure(sql, table, size, writeCase, mode, `${mode}-${size}-r${run}`);
              runs[mode].push(measured.rowsPerSecond);
              cpu[mode].push(measured.cpuUsPerBatch);
              process.stderr.write(
                `  ${kind} ${table.id} ${writeCase} ${size} ${mode} run ${run + 1}: ${Math.round(measured.rowsPerSecond)} rows/s (${Math.round(measured.batches)} batches)\n`,
              );
            }
          }
          const kyselyRowsPerSecond = median(runs.kysely);
          const handRowsPerSecond = median(runs.hand);
          results.push({
            backend: kind,
            table: table.id,
            case: writeCase,
            rowsPerBatch: size,
            kyselyRowsPerSecond: Math.round(kyselyRowsPerSecond),
            handRowsPerSecond: Math.round(handRowsPerSecond),
            ratio: round(kyselyRowsPerSecond / handRowsPerSecond, 3),
            roundRatios: runs.kysely.map((value, index) => round(value / runs.hand[index]!, 3)),
            kyselyRuns: runs.kysely.map((value) => Math.round(value)),
            handRuns: runs.hand.map((value) => Math.round(value)),
            kyselyCpuUsPerBatch: Math.round(median(cpu.kysely)),
            handCpuUsPerBatch: Math.round(median(cpu.hand)),
          });
        }
      }
    }
    return results;
  } finally {
    await database.close();
  }
}

interface BuildResult {
  readonly table: string;
  readonly rowsPerBatch: number;
  /** kyselyOver(a new transaction client) + insertRows + onConflict + compile, as a projection's write. */
  readonly kyselyBuildUs: number;
  /** The same on one Kysely instance made once. */
  readonly kyselySharedBuildUs: number;
  /** The hand-written path's parameter arrays. */
  readonly handParamsUs: number;
}

/** µs per call of `work` over BUILD_MS. */
function timePerCall(work: () => unknown): number {
  let calls = 0;
  const started = performance.now();
  const deadline = started + BUILD_MS;
  while (performance.now() < deadline) {
    for (let repeat = 0; repeat < 10; repeat += 1) work();
    calls += 10;
  }
  return ((performance.now() - started) * 1000) / calls;
}

/** Medians of 5 alternating measurements of each of `works`, after a warm-up of each (JIT). */
function timeAlternating(works: ReadonlyArray<() => unknown>): number[] {
  for (const work of works) timePerCall(work);
  const samples = works.map((): number[] => []);
  for (let sample = 0; sample < 5; sample += 1) {
    const order = sample % 2 === 0 ? works.map((_, index) => index) : works.map((_, index) => works.length - 1 - index);
    for (const index of order) samples[index]!.push(timePerCall(works[index]!));
  }
  return samples.map((values) => median(values));
}

/** A SqlClient that is never called: compiling needs a Kysely instance, not a database. */
const nowhere: SqlClient = {
  query: () => Promise.reject(new Error('not connected')),
  exec: () => Promise.reject(new Error('not connected')),
  transaction: () => Promise.reject(new Error('not connected')),
  session: () => Promise.reject(new Error('not connected')),
};

/** The JS side alone: building and compiling the statements of batches already made. */
function benchBuild(): { builds: BuildResult[]; kyselyPerTransactionUs: number } {
  const db = createKysely(nowhere);
  let sink = 0;
  const builds: BuildResult[] = [];
  for (const table of TABLES) {
    for (const size of SIZES) {
      const batch = table.batch('build', size, 1);
      const [kyselyBuildUs, kyselySharedBuildUs, handParamsUs] = timeAlternating([
        () => {
          // Every transaction hands the write a client of its own: kyselyOver binds (and keeps,
          // weakly) a Kysely to it.
          const compiled: CompiledQuery<unknown> = batch.kysely(kyselyOver({ ...nowhere })).compile();
          sink += compiled.parameters.length;
        },
        () => {
          const compiled: CompiledQuery<unknown> = batch.kysely(db).compile();
          sink += compiled.parameters.length;
        },
        () => {
          sink += batch.handWritten().params.length;
        },
      ]) as [number, number, number];
      builds.push({
        table: table.id,
        rowsPerBatch: size,
        kyselyBuildUs: round(kyselyBuildUs, 1),
        kyselySharedBuildUs: round(kyselySharedBuildUs, 1),
        handParamsUs: round(handParamsUs, 1),
      });
    }
  }
  // kyselyOver(tx) alone on the fresh client of every transaction: a Kysely bound to it.
  timePerCall(() => kyselyOver({ ...nowhere }));
  const kyselyPerTransactionUs = timePerCall(() => {
    sink += kyselyOver({ ...nowhere }) === db ? 1 : 0;
  });
  if (sink < 0) console.log(sink);
  return { builds, kyselyPerTransactionUs: round(kyselyPerTransactionUs, 2) };
}

async function main(): Promise<void> {
  process.stderr.write(`statement building (${BUILD_MS} ms per measurement, 5 per path)\n`);
  const build = benchBuild();
  const all: CaseResult[] = [];
  for (const kind of databaseKinds().filter((kind) => BACKENDS === undefined || BACKENDS.includes(kind))) {
    process.stderr.write(`${kind}: measuring (${SECONDS}s per run, ${ROUNDS} runs per path, batches of ${SIZES.join(', ')})\n`);
    all.push(...(await benchBackend(kind)));
  }
  printTable(
    `batched writes (rows/s, one writer, one transaction per batch; median of ${ROUNDS} runs of ${SECONDS}s per path)`,
    all.map((result) => ({
      backend: result.backend,
      table: result.table,
      case: result.case,
      rows: result.rowsPerBatch,
      kysely: result.kyselyRowsPerSecond,
      'hand-written': result.handRowsPerSecond,
      'kysely/hand': result.ratio.toFixed(2),
      'per round': `${Math.min(...result.roundRatios).toFixed(2)}–${Math.max(...result.roundRatios).toFixed(2)}`,
      'ms/batch k | h': `${((result.rowsPerBatch / result.kyselyRowsPerSecond) * 1000).toFixed(2)} | ${((result.rowsPerBatch / result.handRowsPerSecond) * 1000).toFixed(2)}`,
      'cpu µs/batch k | h': `${result.kyselyCpuUsPerBatch} | ${result.handCpuUsPerBatch}`,
    })),
  );
  printTable(
    'statement building, no database (µs per batch, median of 5)',
    build.builds.map((row) => ({
      table: row.table,
      rows: row.rowsPerBatch,
      'kysely build+compile': row.kyselyBuildUs,
      'same, shared instance': row.kyselySharedBuildUs,
      'hand-written params': row.handParamsUs,
      'kysely extra': round(row.kyselyBuildUs - row.handParamsUs, 1),
      ...Object.fromEntries(
        all
          .filter((result) => result.table === row.table && result.rowsPerBatch === row.rowsPerBatch && result.case === 'insert')
          // The extra JS time as a share of a hand-written batch's wall time on that backend.
          .map((result) => {
            const batchUs = (row.rowsPerBatch / result.handRowsPerSecond) * 1e6;
            return [`extra/${result.backend} batch`, `${(((row.kyselyBuildUs - row.handParamsUs) / batchUs) * 100).toFixed(1)}%`];
          }),
      ),
    })),
  );
  console.log(`\nkyselyOver(tx) alone on a new transaction client (a Kysely bound to it): ${build.kyselyPerTransactionUs} µs`);
  const file = await recordResult('batched-writes', {
    secondsPerRun: SECONDS,
    runsPerPath: ROUNDS,
    sizes: SIZES,
    results: all,
    build: build.builds,
    kyselyPerTransactionUs: build.kyselyPerTransactionUs,
  });
  console.log(`\nmachine: ${describeMachine()}\nappended to ${file}`);
}

await main();
