import { parseArgs } from 'node:util';
import { SCHEMA_CHECK_DEFAULTS, type SchemaCheckOptions } from './options.js';
import { SchemaCheckUsageError } from './usage-error.js';

/** Output format of the bin. */
export type ReportFormat = 'text' | 'json';

/** Parsed `npm run schema:check` arguments. */
export interface SchemaCheckArgs {
  options: SchemaCheckOptions;
  format: ReportFormat;
  help: boolean;
}

/** Usage text of `npm run schema:check`. */
export const SCHEMA_CHECK_USAGE = `Usage: npm run schema:check -- [options]

Composes the subgraphs, checks the committed supergraph is up to date, diffs the API schema
against a base, validates client operations, and fails on unacknowledged breaking changes.

Options:
  --config <file>       supergraph config (default: ${SCHEMA_CHECK_DEFAULTS.config})
  --supergraph <file>   committed supergraph (default: ${SCHEMA_CHECK_DEFAULTS.supergraph})
  --operations <dir>    client operations, *.graphql (default: ${SCHEMA_CHECK_DEFAULTS.operations})
  --base <git ref>      diff against the supergraph at this ref (default: the file on disk)
  --allow-breaking      accept breaking changes that no known operation uses
  --allow-list <file>   reviewed breaking changes (default: ${SCHEMA_CHECK_DEFAULTS.allowList})
  --format text|json    output format (default: text)
  -h, --help            show this help

Exit codes: 0 passed, 1 check failed, 2 usage error.`;

/** Parses `npm run schema:check` arguments. @throws SchemaCheckUsageError */
export function parseSchemaCheckArgs(argv: readonly string[]): SchemaCheckArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        supergraph: { type: 'string' },
        operations: { type: 'string' },
        base: { type: 'string' },
        'allow-breaking': { type: 'boolean', default: false },
        'allow-list': { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new SchemaCheckUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new SchemaCheckUsageError(`--format must be "text" or "json", got "${values.format}"`);
  }
  const options: SchemaCheckOptions = { allowBreaking: values['allow-breaking'] };
  if (values.config !== undefined) options.config = values.config;
  if (values.supergraph !== undefined) options.supergraph = values.supergraph;
  if (values.operations !== undefined) options.operations = values.operations;
  if (values.base !== undefined) options.base = values.base;
  if (values['allow-list'] !== undefined) options.allowList = values['allow-list'];
  return { options, format: values.format, help: values.help };
}
