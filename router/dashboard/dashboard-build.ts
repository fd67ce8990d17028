/**
 * The built dashboard: `dashboard/dist`, made by `npm install` (postinstall), or here on first
 * start when it is missing (a checkout that skipped install scripts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository's `dashboard/` folder. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));
/** Where the build writes the dashboard. */
export const DEFAULT_DIST_DIR = join(DASHBOARD_DIR, 'dist');

const run = promisify(execFile);

/**
 * Builds the dashboard into `distDir` unless it already holds its `index.html`. The build runs in
 * a child process (Vite and its plugins stay out of the router's memory).
 *
 * @throws Error when the build fails or leaves no `index.html` (for instance without Vite).
 */
export async function ensureDashboardBuilt(distDir: string = DEFAULT_DIST_DIR): Promise<void> {
  const index = join(distDir, 'index.html');
  if (existsSync(index)) return;
  const { stdout, stderr } = await run(process.execPath, [join(DASHBOARD_DIR, 'build.mjs'), distDir], { cwd: DASHBOARD_DIR, timeout: 300_000 });
  if (!existsSync(index)) throw new Error(`the dashboard build wrote no ${index}: ${(stderr || stdout).trim()}`);
}
