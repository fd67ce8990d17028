import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphQLError, Kind, Source, getLocation, parse, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/** A position in an operations file. */
export interface FilePosition {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
}

/** One client operation, ready to validate: the operation plus every fragment it spreads. */
export interface ClientOperation extends FilePosition {
  /** The operation name, or `(anonymous query)` etc. */
  name: string;
  /** A document with the operation and the fragments it uses (from any operations file). */
  document: DocumentNode;
}

/** A file-level problem: a syntax error or a fragment name defined twice. */
export interface OperationFileProblem extends FilePosition {
  message: string;
}

/** Every client operation found under a directory. */
export interface LoadedOperations {
  /** Absolute path of the directory. */
  directory: string;
  /** False when the directory does not exist. */
  found: boolean;
  /** Absolute paths of the `*.graphql` files read, sorted. */
  files: string[];
  operations: ClientOperation[];
  problems: OperationFileProblem[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Every `*.graphql` file under `directory`, recursively, sorted by path. */
export async function findGraphqlFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await findGraphqlFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.graphql')) files.push(path);
  }
  return files.sort();
}

/** The file and line:column where an AST node starts. */
export function positionOf(node: { loc?: { source: Source; start: number } | undefined }, fallbackFile: string): FilePosition {
  if (!node.loc) return { file: fallbackFile, line: 1, column: 1 };
  const { line, column } = getLocation(node.loc.source, node.loc.start);
  return { file: node.loc.source.name, line, column };
}

function fragmentNamesSpreadBy(node: OperationDefinitionNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, {
    FragmentSpread(spread) {
      names.push(spread.name.value);
    },
  });
  return names;
}

/** The operation plus the fragments it spreads, transitively; unknown fragments are left out. */
function documentFor(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): DocumentNode {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending = fragmentNamesSpreadBy(operation);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const fragment = fragments.get(name);
    if (!fragment || used.has(name)) continue;
    used.set(name, fragment);
    pending.push(...fragmentNamesSpreadBy(fragment));
  }
  return { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
}

/**
 * Reads every client operation under `directory` (`*.graphql`, recursively; several operations
 * per file allowed). Fragments are shared across files. Syntax errors and duplicate fragment
 * names are returned as problems, never thrown.
 */
export async function loadOperations(directory: string): Promise<LoadedOperations> {
  if (!(await isDirectory(directory))) {
    return { directory, found: false, files: [], operations: [], problems: [] };
  }
  const files = await findGraphqlFiles(directory);
  const problems: OperationFileProblem[] = [];
  const operationNodes: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();

  for (const file of files) {
    const source = new Source(await readFile(file, 'utf8'), file);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const [location] = error.locations ?? [];
      problems.push({ file, line: location?.line ?? 1, column: location?.column ?? 1, message: error.message });
      continue;
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        operationNodes.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        const existing = fragments.get(name);
        if (existing) {
          const first = positionOf(existing, file);
          problems.push({
            ...positionOf(definition, file),
            message: `Fragment "${name}" is already defined at ${first.file}:${first.line}:${first.column}.`,
          });
        } else {
          fragments.set(name, definition);
        }
      } else {
        problems.push({
          ...positionOf(definition, file),
          message: `Operations files may only contain operations and fragments, found ${definition.kind}.`,
        });
      }
    }
  }

  const operations = operationNodes.map((node): ClientOperation => {
    const position = positionOf(node, directory);
    return {
      name: node.name?.value ?? `(anonymous ${node.operation})`,
      ...position,
      document: documentFor(node, fragments),
    };
  });
  return { directory, found: true, files, operations, problems };
}
