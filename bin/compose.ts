// Composes the subgraphs listed in supergraph.yaml into schema/supergraph.graphql.
// Usage: npm run compose -- [--config supergraph.yaml] [--out schema/supergraph.graphql]
import { relative, resolve } from 'node:path';
import { COMPOSE_USAGE, ComposeUsageError, parseComposeArgs } from '../schema-tools/composition/cli-args.js';
import { terminalStyle, wantsColor } from '../schema-tools/composition/terminal-style.js';

const out = terminalStyle(wantsColor(process.stdout));
const err = terminalStyle(wantsColor(process.stderr));

async function main(): Promise<number> {
  const args = parseComposeArgs(process.argv.slice(2));
  if (args.help) {
    console.log(COMPOSE_USAGE);
    return 0;
  }
  // Loaded only now, so --help and flag errors do not wait for the composition libraries.
  const composition = await import('../schema-tools/composition/index.js');
  const cwd = process.cwd();
  let config;
  try {
    config = await composition.loadSupergraphConfig(resolve(cwd, args.config));
  } catch (error) {
    if (!(error instanceof composition.SupergraphConfigError)) throw error;
    console.error(`${err.fail('✖')} ${error.message}`);
    return 2;
  }
  const warning = composition.federationVersionWarning(config.federationVersion);
  if (warning) console.error(`${err.warn('⚠')} ${warning}`);

  const names = config.subgraphs.map((s) => s.name).join(', ');
  const result = composition.composeSubgraphs(config);
  if (!result.ok) {
    console.error(`${err.fail('✖')} Composition of ${names} failed with ${result.errors.length} error(s):\n`);
    console.error(composition.formatCompositionErrors(result.errors, { cwd, style: err, indent: '  ' }).join('\n'));
    return 1;
  }
  if (result.hints.length > 0) {
    console.log(`Composition hints (${result.hints.length}):`);
    console.log(composition.formatCompositionHints(result.hints, { style: out, indent: '  ' }).join('\n'));
    console.log('');
  }
  const gatewayProblem = composition.gatewayLoadProblem(result.supergraphSdl);
  if (gatewayProblem) console.error(`${err.warn('⚠')} @apollo/gateway cannot load this supergraph: ${gatewayProblem}`);
  const target = resolve(cwd, args.out);
  await composition.writeSupergraphFile(target, result.supergraphSdl);
  console.log(`${out.ok('✔')} Composed ${names} into ${relative(cwd, target) || target}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof ComposeUsageError)) throw error;
  console.error(`${err.fail('✖')} ${error.message}\n\n${COMPOSE_USAGE}`);
  process.exitCode = 2;
}
