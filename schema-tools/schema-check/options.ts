import { resolve } from 'node:path';

/** Inputs of {@link runSchemaCheck}; relative paths are resolved against `cwd`. */
export interface SchemaCheckOptions {
  /** Working directory (repository root); default `process.cwd()`. */
  cwd?: string;
  /** Rover-format supergraph config; default `supergraph.yaml`. */
  config?: string;
  /** The committed supergraph file; default `schema/supergraph.graphql`. */
  supergraph?: string;
  /**
   * Directory of client operations (`*.graphql`, searched recursively); default
   * `schema/operations`. A missing default directory means "no operations"; a missing directory
   * given explicitly is a usage error.
   */
  operations?: string;
  /**
   * Git ref whose supergraph file is the base of the diff (`git show <ref>:<supergraph>`).
   * Default: the supergraph file on disk.
   */
  base?: string;
  /** Acknowledge every breaking change that no known operation uses. */
  allowBreaking?: boolean;
  /**
   * Reviewed allow-list of breaking changes; default `schema/allowed-breaking-changes.json`.
   * A missing default file means "empty"; a missing file given explicitly is a usage error.
   */
  allowList?: string;
}

/** {@link SchemaCheckOptions} with defaults applied and paths made absolute. */
export interface ResolvedSchemaCheckOptions {
  cwd: string;
  config: string;
  supergraph: string;
  operations: string;
  operationsRequired: boolean;
  base?: string;
  allowBreaking: boolean;
  allowList: string;
  allowListRequired: boolean;
}

/** Default paths, relative to the repository root. */
export const SCHEMA_CHECK_DEFAULTS = {
  config: 'supergraph.yaml',
  supergraph: 'schema/supergraph.graphql',
  operations: 'schema/operations',
  allowList: 'schema/allowed-breaking-changes.json',
} as const;

/** Applies defaults and resolves paths against `cwd`. */
export function resolveSchemaCheckOptions(options: SchemaCheckOptions): ResolvedSchemaCheckOptions {
  const cwd = resolve(options.cwd ?? process.cwd());
  const resolved: ResolvedSchemaCheckOptions = {
    cwd,
    config: resolve(cwd, options.config ?? SCHEMA_CHECK_DEFAULTS.config),
    supergraph: resolve(cwd, options.supergraph ?? SCHEMA_CHECK_DEFAULTS.supergraph),
    operations: resolve(cwd, options.operations ?? SCHEMA_CHECK_DEFAULTS.operations),
    operationsRequired: options.operations !== undefined,
    allowBreaking: options.allowBreaking ?? false,
    allowList: resolve(cwd, options.allowList ?? SCHEMA_CHECK_DEFAULTS.allowList),
    allowListRequired: options.allowList !== undefined,
  };
  if (options.base !== undefined) resolved.base = options.base;
  return resolved;
}
