import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, visit, type Document } from 'yaml';
import { routerConfigSchema, type RouterConfig } from './config-schema.js';

/** A config file the router refuses to start with: every problem, each naming its key and line. */
export class RouterConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid router config:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RouterConfigError';
  }
}

/** A loaded config and the folder its relative paths are relative to. */
export interface LoadedRouterConfig {
  readonly config: RouterConfig;
  readonly file: string | undefined;
  readonly directory: string;
}

const REFERENCE = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** The line of a key (of the value, for a list item), 1-based. */
function lineOf(document: Document, lines: LineCounter, keyPath: ReadonlyArray<PropertyKey>): number | undefined {
  const parentPath = keyPath.slice(0, -1) as unknown[];
  const parent = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
  const last = keyPath[keyPath.length - 1];
  let offset: number | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
    offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
  }
  offset ??= (document.getIn(keyPath as unknown[], true) as { range?: [number, number, number] } | undefined)?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function keyOf(keyPath: ReadonlyArray<PropertyKey>): string {
  return keyPath.length === 0 ? '(top level)' : keyPath.map(String).join('.');
}

/**
 * Parses a router config: `${env.NAME}` and `${env.NAME:-default}` in values are replaced from
 * `env` (an unset variable without a default is an error), then every key is checked. A value
 * that expands to an empty string, or a key with nothing under it, counts as not set.
 */
export function parseRouterConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  for (const error of document.errors) problems.push(`line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`);
  if (problems.length > 0) throw new RouterConfigError(file, problems);

  visit(document, {
    Scalar(_key, node, ancestry) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const keyPath = ancestry.flatMap((ancestor) => ('key' in ancestor && isScalar(ancestor.key) ? [String(ancestor.key.value)] : []));
      node.value = node.value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined) return value;
        if (fallback !== undefined) return fallback;
        problems.push(`${keyOf(keyPath)} (line ${lines.linePos(node.range?.[0] ?? 0).line}): environment variable ${name} is not set`);
        return '';
      });
    },
  });
  if (problems.length > 0) throw new RouterConfigError(file, problems);

  const raw = withoutUnset(document.toJS() ?? {});
  const parsed = routerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const at = (keyPath: ReadonlyArray<PropertyKey>) => {
      const line = lineOf(document, lines, keyPath);
      return `${keyOf(keyPath)}${line === undefined ? '' : ` (line ${line})`}`;
    };
    for (const issue of parsed.error.issues) {
      // A misspelt key is reported where it is, by its own name.
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) problems.push(`${at([...issue.path, key])}: unknown key`);
      else problems.push(`${at(issue.path)}: ${issue.message}`);
    }
    throw new RouterConfigError(file, problems);
  }
  return parsed.data;
}

/** Drops what counts as not set: empty strings (an empty variable) and empty keys (`jwt:` with nothing under it). */
function withoutUnset(value: unknown): unknown {
  const unset = (item: unknown) => item === '' || item === null;
  if (Array.isArray(value)) return value.filter((item) => !unset(item)).map(withoutUnset);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (!unset(item)) copy[key] = withoutUnset(item);
    return copy;
  }
  return value;
}

/** Reads `file` when it exists; without it the router runs on defaults (development). */
export async function loadRouterConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedRouterConfig> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) return { config: {}, file: undefined, directory: process.cwd() };
  const config = parseRouterConfig(await readFile(absolute, 'utf8'), file, env);
  return { config, file: absolute, directory: path.dirname(absolute) };
}
