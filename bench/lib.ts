import { appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../subgraphs/shared/database/connect.js';
import type { DatabaseKind, SqlClient } from '../subgraphs/shared/database/sql.js';
import { backend, createTestDatabase } from '../test/support/environment.js';

/** Where every benchmark appends one JSON line per run. */
export const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');

/** The machine the numbers were measured on, stored with every result line. */
export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    // Other work on the machine skews every number; the 1/5/15-minute load averages at the end of the run.
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/** One line saying where and under what load the numbers were measured. */
export function describeMachine(): string {
  const info = machine();
  return `${String(info.cores)} cores (${String(info.cpu)}), node ${String(info.node)}, load average ${(info.loadAverage as number[]).join(' / ')}`;
}

/** Appends `{ date, benchmark, machine, ...result }` as one line to bench/results/<name>.jsonl. */
export async function recordResult(name: string, result: Record<string, unknown>): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.jsonl`);
  await appendFile(file, `${JSON.stringify({ date: new Date().toISOString(), benchmark: name, machine: machine(), ...result })}\n`);
  return file;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: ReadonlyArray<Record<string, string | number>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const cell = (value: string | number | undefined) => (typeof value === 'number' ? formatNumber(value) : (value ?? ''));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(cell(row[column])).length)));
  const line = (values: string[]) => values.map((value, index) => value.padStart(widths[index]!)).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => String(cell(row[column])))));
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 0 });
}

/** Value at quantile `q` (0..1) of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** A database only this run uses: a fresh PostgreSQL database or an in-memory PGlite. */
export interface BenchDatabase {
  readonly kind: DatabaseKind;
  readonly sql: SqlClient;
  close(): Promise<void>;
}

/** The backends to measure: PostgreSQL when DATABASE_URL is set, and PGlite always. */
export function databaseKinds(): DatabaseKind[] {
  return backend.databaseUrl ? ['postgres', 'pglite'] : ['pglite'];
}

export async function openBenchDatabase(kind: DatabaseKind, maxConnections = 20): Promise<BenchDatabase> {
  if (kind === 'postgres') {
    const testDb = await createTestDatabase({ maxConnections });
    return { kind, sql: testDb.database.sql, close: () => testDb.drop() };
  }
  const database = await openDatabase({});
  return { kind, sql: database.sql, close: () => database.close() };
}

/** Runs `worker` on `concurrency` loops until `seconds` elapse; returns the operations completed and the time taken. */
export async function runFor(
  seconds: number,
  concurrency: number,
  worker: (loop: number, iteration: number) => Promise<number>,
): Promise<{ operations: number; elapsedMs: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let operations = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let iteration = 0; performance.now() < deadline; iteration += 1) {
        // Not `operations += await …`: that reads `operations` before the await, so concurrent loops
        // would overwrite each other's counts.
        const done = await worker(loop, iteration);
        operations += done;
      }
    }),
  );
  return { operations, elapsedMs: performance.now() - started };
}
