import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { parseFederationVersion, type FederationVersion } from './federation-version.js';

/** One subgraph of a supergraph.yaml, with its SDL already read. */
export interface SubgraphConfig {
  /** The subgraph name (the key under `subgraphs`). */
  name: string;
  /** `routing_url`: where the router sends this subgraph's requests. */
  routingUrl: string;
  /** Absolute path of the schema file, or undefined when the SDL is inline (`schema.sdl`). */
  schemaFile?: string;
  /** The subgraph SDL. */
  sdl: string;
}

/** A parsed and validated supergraph.yaml (Apollo rover's format). */
export interface SupergraphConfig {
  /** Absolute path of the yaml file. */
  path: string;
  /** `federation_version`, when given. */
  federationVersion?: FederationVersion;
  /** The subgraphs, in file order. */
  subgraphs: SubgraphConfig[];
}

/** Thrown when a supergraph.yaml is missing, unparsable or invalid; lists every problem found. */
export class SupergraphConfigError extends Error {
  /** Each problem on its own, e.g. `subgraphs.inventory.routing_url: is required`. */
  readonly problems: string[];

  constructor(path: string, problems: string[]) {
    super(`Invalid supergraph config ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SupergraphConfigError';
    this.problems = problems;
  }
}

const TOP_LEVEL_KEYS = ['federation_version', 'subgraphs'];
const SUBGRAPH_KEYS = ['routing_url', 'schema'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, allowed: string[]): string[] {
  return Object.keys(value).filter((key) => !allowed.includes(key));
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the schema of one subgraph entry; pushes problems for anything invalid. */
async function loadSubgraph(name: string, entry: unknown, baseDir: string, problems: string[]): Promise<SubgraphConfig | undefined> {
  const at = `subgraphs.${name}`;
  if (!isRecord(entry)) {
    problems.push(`${at}: must be a mapping with routing_url and schema`);
    return undefined;
  }
  for (const key of unknownKeys(entry, SUBGRAPH_KEYS)) {
    problems.push(`${at}.${key}: unknown key (expected ${SUBGRAPH_KEYS.join(', ')})`);
  }
  const routingUrl = entry.routing_url;
  if (typeof routingUrl !== 'string' || routingUrl.trim() === '') {
    problems.push(`${at}.routing_url: is required (a URL string)`);
  }
  const schema = entry.schema;
  if (!isRecord(schema)) {
    problems.push(`${at}.schema: is required ({ file: <path relative to the yaml> })`);
    return undefined;
  }
  if ('subgraph_url' in schema || 'graphref' in schema) {
    problems.push(`${at}.schema: only "file" (or inline "sdl") is supported by the offline tooling`);
    return undefined;
  }
  let sdl: string | undefined;
  let schemaFile: string | undefined;
  if (typeof schema.file === 'string' && schema.file.trim() !== '') {
    schemaFile = resolve(baseDir, schema.file);
    sdl = await readText(schemaFile);
    if (sdl === undefined) {
      problems.push(`${at}.schema.file: ${schema.file} does not exist (looked for ${schemaFile})`);
    }
  } else if (typeof schema.sdl === 'string') {
    sdl = schema.sdl;
  } else {
    problems.push(`${at}.schema.file: is required (a path relative to the yaml)`);
  }
  if (sdl === undefined || typeof routingUrl !== 'string') return undefined;
  return schemaFile === undefined ? { name, routingUrl, sdl } : { name, routingUrl, schemaFile, sdl };
}

/**
 * Loads a rover-format supergraph.yaml: `federation_version` and
 * `subgraphs.<name>.{ routing_url, schema: { file } }` (files relative to the yaml), and reads
 * every subgraph SDL.
 *
 * @throws SupergraphConfigError listing every problem (missing file, yaml syntax, bad keys,
 *   missing schema files).
 */
export async function loadSupergraphConfig(path: string): Promise<SupergraphConfig> {
  const absolute = resolve(path);
  const text = await readText(absolute);
  if (text === undefined) throw new SupergraphConfigError(absolute, ['file not found']);

  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SupergraphConfigError(
      absolute,
      document.errors.map((error) => error.message.split('\n')[0] ?? error.message),
    );
  }
  const root: unknown = document.toJS();
  if (!isRecord(root)) {
    throw new SupergraphConfigError(absolute, ['top level must be a mapping with "subgraphs"']);
  }

  const problems: string[] = [];
  for (const key of unknownKeys(root, TOP_LEVEL_KEYS)) {
    problems.push(`${key}: unknown key (expected ${TOP_LEVEL_KEYS.join(', ')})`);
  }
  let federationVersion: FederationVersion | undefined;
  if (root.federation_version !== undefined) {
    const parsed = parseFederationVersion(root.federation_version);
    if ('problem' in parsed) problems.push(parsed.problem);
    else federationVersion = parsed;
  }

  const subgraphs: SubgraphConfig[] = [];
  if (!isRecord(root.subgraphs) || Object.keys(root.subgraphs).length === 0) {
    problems.push('subgraphs: is required (a mapping of subgraph name to { routing_url, schema })');
  } else {
    const baseDir = dirname(absolute);
    for (const [name, entry] of Object.entries(root.subgraphs)) {
      const subgraph = await loadSubgraph(name, entry, baseDir, problems);
      if (subgraph) subgraphs.push(subgraph);
    }
  }

  if (problems.length > 0) throw new SupergraphConfigError(absolute, problems);
  return federationVersion === undefined ? { path: absolute, subgraphs } : { path: absolute, federationVersion, subgraphs };
}
