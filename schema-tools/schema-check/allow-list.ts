import { readFile } from 'node:fs/promises';
import type { SchemaChange } from './schema-diff.js';
import { SchemaCheckUsageError } from './usage-error.js';

/**
 * One reviewed breaking change, identified by graphql-inspector's `type` and `path`, e.g.
 * `{ "type": "FIELD_REMOVED", "path": "Product.legacySku", "reason": "unused since v3" }`.
 */
export interface AllowListEntry {
  type: string;
  path: string;
  reason: string;
}

/** A loaded allow-list file. */
export interface AllowList {
  /** Absolute path; undefined when the (default) file does not exist. */
  file?: string;
  entries: AllowListEntry[];
}

function entryProblems(entry: unknown, index: number): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [`entry ${index}: must be an object with type, path and reason`];
  }
  const record = entry as Record<string, unknown>;
  return ['type', 'path', 'reason']
    .filter((key) => typeof record[key] !== 'string' || record[key].trim() === '')
    .map((key) => `entry ${index}: "${key}" must be a non-empty string`);
}

/**
 * Parses an allow-list: either an array of entries or `{ "allowedBreakingChanges": [...] }`.
 * @throws SchemaCheckUsageError naming every invalid entry.
 */
export function parseAllowList(text: string, file: string): AllowList {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SchemaCheckUsageError(`${file}: invalid JSON (${(error as Error).message})`);
  }
  const list = Array.isArray(data) ? data : typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['allowedBreakingChanges'] : undefined;
  if (!Array.isArray(list)) {
    throw new SchemaCheckUsageError(`${file}: expected an array of { type, path, reason } or { "allowedBreakingChanges": [...] }`);
  }
  const problems = list.flatMap(entryProblems);
  if (problems.length > 0) {
    throw new SchemaCheckUsageError(`${file}: invalid allow-list:\n  - ${problems.join('\n  - ')}`);
  }
  const entries = (list as Array<Record<string, string>>).map((entry) => ({
    type: entry['type'] as string,
    path: entry['path'] as string,
    reason: entry['reason'] as string,
  }));
  return { file, entries };
}

/**
 * Loads the allow-list file. A missing file is an empty list unless `required` (given explicitly),
 * in which case it is a usage error.
 */
export async function loadAllowList(file: string, required: boolean): Promise<AllowList> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (required) throw new SchemaCheckUsageError(`--allow-list: ${file} does not exist`);
    return { entries: [] };
  }
  return parseAllowList(text, file);
}

/** The allow-list entry that acknowledges `change` (same type and path), if any. */
export function findAllowListEntry(allowList: AllowList, change: SchemaChange): AllowListEntry | undefined {
  return allowList.entries.find((entry) => entry.type === change.type && entry.path === change.path);
}
