// Builds the dashboard (run by `npm install`, and by the router when the build is missing):
// `node dashboard/build.mjs [outDir]`, into dashboard/dist by default. Exits 0 without building
// when Vite is not installed, and says so.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
const outDir = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('./dist', import.meta.url));

let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('dashboard: vite is not installed, the dashboard was not built');
  process.exit(0);
}
const started = Date.now();
await vite.build({ configFile, mode: 'production', build: { outDir } });
console.log(`dashboard: built into ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
