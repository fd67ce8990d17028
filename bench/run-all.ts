/**
 * Runs every benchmark script in bench/ in turn, each in its own process (`npm run bench`).
 * Backends follow the environment: DATABASE_URL for PostgreSQL (PGlite is measured too where a
 * benchmark supports it), REDIS_URL for Redis. Pass names to run only some:
 * `npx tsx bench/run-all.ts append-throughput bus-latency`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const HELPERS = new Set(['lib.ts', 'run-all.ts']);
const only = process.argv.slice(2);
const benchmarks = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.ts') && !HELPERS.has(file) && !file.includes('tmp'))
  .filter((file) => only.length === 0 || only.includes(file.replace(/\.ts$/, '')))
  .sort();

let failed = false;
for (const file of benchmarks) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} exited with ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
