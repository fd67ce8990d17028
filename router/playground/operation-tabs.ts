/**
 * The client operations under `schema/operations/` as GraphiQL tabs: one tab per operation, with
 * the fragments it uses, and its example variables when a `# variables: {…}` comment line stands
 * right above it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, separateOperations } from 'graphql';
import type { PlaygroundTab } from './page.js';

/** The repository's `schema/operations/` folder. */
export const DEFAULT_OPERATIONS_DIR = fileURLToPath(new URL('../../schema/operations/', import.meta.url));

const VARIABLES_COMMENT = /^#\s*variables:\s*(\{.*\})\s*$/;

/** The example variables written on the comment line right above the definition starting at `offset`. */
function exampleVariables(source: string, offset: number): string | undefined {
  const lines = source.slice(0, offset).split('\n');
  lines.pop(); // the definition's own line, up to its first character
  const above = lines.pop()?.trim();
  const match = above === undefined ? null : VARIABLES_COMMENT.exec(above);
  if (!match) return undefined;
  // Pretty-printed, and a malformed comment fails here, at startup, rather than in the editor.
  return JSON.stringify(JSON.parse(match[1]!), null, 2);
}

/** Tabs of one operations file, in the order its operations are written. */
export function tabsOfOperationsFile(source: string): PlaygroundTab[] {
  const document = parse(source);
  // Each operation with the fragments it uses, directly or through other fragments.
  const separated = separateOperations(document);
  return document.definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    // The operation first, so the editor opens on it; its fragments below.
    const parts = separated[definition.name?.value ?? '']!.definitions;
    const ordered = [definition, ...parts.filter((part) => part.kind === Kind.FRAGMENT_DEFINITION)];
    const query = ordered.map((part) => print(part)).join('\n\n') + '\n';
    const variables = definition.loc ? exampleVariables(source, definition.loc.start) : undefined;
    return [variables === undefined ? { query } : { query, variables }];
  });
}

/**
 * Every operation of the `.graphql` files in `dir`, files in name order.
 *
 * @throws Error when a file does not parse or an example variables comment is not JSON.
 */
export function loadOperationTabs(dir: string = DEFAULT_OPERATIONS_DIR): PlaygroundTab[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  return files.flatMap((name) => {
    try {
      return tabsOfOperationsFile(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      throw new Error(`playground: ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  });
}
