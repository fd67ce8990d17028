// Checks the federated schema: composition, committed supergraph freshness, breaking changes
// against a base, and client operations. Usage: npm run schema:check -- --help
import { terminalStyle, wantsColor } from '../schema-tools/composition/terminal-style.js';
import { parseSchemaCheckArgs, SCHEMA_CHECK_USAGE, type ReportFormat } from '../schema-tools/schema-check/cli-args.js';
import { formatJsonReport } from '../schema-tools/schema-check/format-json.js';
import { formatTextReport } from '../schema-tools/schema-check/format-text.js';
import { SchemaCheckUsageError } from '../schema-tools/schema-check/usage-error.js';

/** Best-effort format for reporting usage errors, even when argument parsing failed. */
function requestedFormat(argv: readonly string[]): ReportFormat {
  const index = argv.indexOf('--format');
  return argv.includes('--format=json') || (index >= 0 && argv[index + 1] === 'json') ? 'json' : 'text';
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSchemaCheckArgs(argv);
  if (args.help) {
    console.log(SCHEMA_CHECK_USAGE);
    return 0;
  }
  // Loaded only now, so --help and flag errors do not wait for the composition libraries.
  const { runSchemaCheck } = await import('../schema-tools/schema-check/run-schema-check.js');
  const report = await runSchemaCheck(args.options);
  if (args.format === 'json') {
    console.log(formatJsonReport(report));
  } else {
    console.log(formatTextReport(report, { color: wantsColor(process.stdout) }));
  }
  return report.ok ? 0 : 1;
}

const argv = process.argv.slice(2);
try {
  process.exitCode = await main(argv);
} catch (error) {
  if (!(error instanceof SchemaCheckUsageError)) throw error;
  if (requestedFormat(argv) === 'json') {
    console.log(JSON.stringify({ ok: false, usageError: error.message }, null, 2));
  } else {
    const style = terminalStyle(wantsColor(process.stderr));
    console.error(`${style.fail('✖')} ${error.message}\n\n${SCHEMA_CHECK_USAGE}`);
  }
  process.exitCode = 2;
}
