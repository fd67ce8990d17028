import { parseArgs } from 'node:util';

/** Parsed `npm run compose` arguments. */
export interface ComposeArgs {
  /** Path of supergraph.yaml (default `supergraph.yaml`). */
  config: string;
  /** Where to write the supergraph (default `schema/supergraph.graphql`). */
  out: string;
  help: boolean;
}

/** Usage text of `npm run compose`. */
export const COMPOSE_USAGE = `Usage: npm run compose -- [options]

Composes the subgraphs listed in supergraph.yaml into a supergraph SDL.

Options:
  --config <file>  rover-format supergraph config (default: supergraph.yaml)
  --out <file>     where to write the supergraph (default: schema/supergraph.graphql)
  -h, --help       show this help

Exit codes: 0 composed, 1 composition failed, 2 usage error.`;

/** Thrown for unknown flags or bad values; the bin exits with code 2. */
export class ComposeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeUsageError';
  }
}

/** Parses `npm run compose` arguments. @throws ComposeUsageError */
export function parseComposeArgs(argv: readonly string[]): ComposeArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', default: 'supergraph.yaml' },
        out: { type: 'string', default: 'schema/supergraph.graphql' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    return { config: values.config, out: values.out, help: values.help };
  } catch (error) {
    throw new ComposeUsageError(error instanceof Error ? error.message : String(error));
  }
}
