import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { composeSubgraphs } from '../../schema-tools/composition/compose-subgraphs.js';
import { loadSupergraphConfig } from '../../schema-tools/composition/supergraph-config.js';
import { writeSupergraphFile } from '../../schema-tools/composition/supergraph-file.js';
import type { AllowListEntry } from '../../schema-tools/schema-check/allow-list.js';

/** Root of the repository (where bin/ lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Where the committed supergraph lives inside a workspace. */
export const SUPERGRAPH_FILE = 'schema/supergraph.graphql';

/**
 * How the base supergraph is provided:
 * - `disk`: the "before" composition is written to schema/supergraph.graphql (so the file is stale
 *   whenever the fixture changes something),
 * - `git`: the "before" composition is committed in a fresh git repo (ref `HEAD`), then the file on
 *   disk is regenerated from the "after" SDLs (up to date, as after `npm run compose`),
 * - `none`: no supergraph file at all.
 */
export type BaseMode = 'disk' | 'git' | 'none';

const created: string[] = [];

/** Runs git in `cwd` with a throwaway identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Schema Check', '-c', 'user.email=check@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Composes the fixture's `before/` SDLs (the base supergraph). */
export async function composeBefore(dir: string): Promise<string> {
  const config = await loadSupergraphConfig(join(dir, 'supergraph.yaml'));
  const subgraphs = await Promise.all(
    config.subgraphs.map(async (subgraph) => {
      const schemaFile = join(dir, 'before', `${subgraph.name}.graphql`);
      return { ...subgraph, schemaFile, sdl: await readFile(schemaFile, 'utf8') };
    }),
  );
  const result = composeSubgraphs({ subgraphs });
  if (!result.ok) throw new Error(`fixture "before" SDLs do not compose: ${result.errors[0]?.message}`);
  return result.supergraphSdl;
}

/** Composes the fixture's current (`subgraphs/`) SDLs; undefined when they do not compose. */
export async function composeAfter(dir: string): Promise<string | undefined> {
  const result = composeSubgraphs(await loadSupergraphConfig(join(dir, 'supergraph.yaml')));
  return result.ok ? result.supergraphSdl : undefined;
}

/** Copies a fixture to a fresh temp directory and provides its base supergraph (see {@link BaseMode}). */
export async function workspace(fixture: string, mode: BaseMode = 'git'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `schema-check-${fixture}-`));
  created.push(dir);
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  if (mode === 'none') return dir;
  const base = await composeBefore(dir);
  await writeSupergraphFile(join(dir, SUPERGRAPH_FILE), base);
  if (mode === 'git') {
    git(dir, 'init', '--quiet');
    git(dir, 'add', SUPERGRAPH_FILE);
    git(dir, 'commit', '--quiet', '-m', 'base supergraph');
    const after = await composeAfter(dir);
    if (after !== undefined) await writeSupergraphFile(join(dir, SUPERGRAPH_FILE), after);
  }
  return dir;
}

/** Removes every workspace created so far (call from afterAll). */
export async function removeWorkspaces(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes a client operations file into the workspace's schema/operations. */
export async function writeOperation(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, 'schema/operations', name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
  return path;
}

/** Writes schema/allowed-breaking-changes.json (or `file`) with these entries. */
export async function writeAllowList(dir: string, entries: AllowListEntry[], file = 'schema/allowed-breaking-changes.json'): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, `${JSON.stringify({ allowedBreakingChanges: entries }, null, 2)}\n`, 'utf8');
  return path;
}

/** The output of a finished bin process. */
export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs `node --import tsx bin/<name>.ts ...args` in `cwd`. */
export function runBin(name: 'schema-check' | 'compose', args: string[], cwd: string): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(REPO_ROOT, 'bin', `${name}.ts`), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Timeout for tests and hooks that build workspaces (composition + git; slow on a busy machine). */
export const WORKSPACE_TIMEOUT = 60_000;
