import { execFile } from 'node:child_process';
import { relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { readSupergraphFile } from '../composition/supergraph-file.js';
import { SchemaCheckUsageError } from './usage-error.js';

const run = promisify(execFile);

/** The supergraph the new schema is compared with. */
export interface BaseSupergraph {
  /** `file`: the supergraph file on disk; `git`: that file at a git ref. */
  kind: 'file' | 'git';
  /** The git ref, for `git`. */
  ref?: string;
  /** The supergraph SDL; undefined when the file does not exist (on disk or at the ref). */
  sdl?: string;
}

function gitMessage(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : String(error);
  return text.trim().split('\n')[0] ?? text;
}

/**
 * Reads the supergraph file as committed at a git ref: `git show <ref>:./<path>` run in `cwd`.
 *
 * @throws SchemaCheckUsageError when `cwd` is not in a git repository or the ref does not exist.
 * @returns undefined when the ref exists but has no such file.
 */
export async function readSupergraphAtRef(ref: string, supergraphPath: string, cwd: string): Promise<string | undefined> {
  if (ref.startsWith('-')) throw new SchemaCheckUsageError(`--base: "${ref}" is not a git ref`);
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
  } catch (error) {
    const detail = gitMessage(error);
    const reason = detail.includes('not a git repository') ? detail : 'unknown revision';
    throw new SchemaCheckUsageError(`--base ${ref}: ${reason}`);
  }
  const path = `./${relative(cwd, supergraphPath).split(sep).join('/')}`;
  try {
    const { stdout } = await run('git', ['show', `${ref}:${path}`], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const detail = gitMessage(error);
    if (/does not exist|exists on disk, but not in/.test(detail)) return undefined;
    throw new SchemaCheckUsageError(`--base ${ref}: git show failed: ${detail}`);
  }
}

/** Loads the base supergraph: from `git show` when a ref is given, else the file on disk. */
export async function loadBaseSupergraph(ref: string | undefined, supergraphPath: string, cwd: string): Promise<BaseSupergraph> {
  if (ref === undefined) {
    const sdl = await readSupergraphFile(supergraphPath);
    return sdl === undefined ? { kind: 'file' } : { kind: 'file', sdl };
  }
  const sdl = await readSupergraphAtRef(ref, supergraphPath, cwd);
  return sdl === undefined ? { kind: 'git', ref } : { kind: 'git', ref, sdl };
}
