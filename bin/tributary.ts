// `npm start`: runs the router and the subgraphs in one process on the embedded defaults, or only
// some of them (`--only router`, `--only inventory,tracking`) against shared PostgreSQL and Redis.
import './production-mode.js';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createPlaygroundHandler } from '../router/playground/playground.js';
import { startRouter, type RunningRouter } from '../router/start-router.js';
import { urlOverridesFromEnv } from '../router/supergraph/load-supergraph.js';
import { fileSupergraph } from '../router/supergraph/supergraph-source.js';
import { subgraphRegistry } from '../subgraphs/registry.js';
import { startSubgraphs, type RunningSubgraphs } from '../subgraphs/start-subgraphs.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    supergraph: { type: 'string' },
  },
});
const only = values.only?.flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
const runs = (name: string) => !only || only.includes(name);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const redisUrl = env.REDIS_URL;
const dataDir = values['data-dir'] ?? env.TRIBUTARY_DATA_DIR ?? '.data/pglite';
const portOf = (name: string, fallback: number) => Number(env[`${name.toUpperCase()}_PORT`] ?? fallback);
const subgraphNames = subgraphRegistry.map((entry) => entry.name).filter(runs);

if (only && !databaseUrl && subgraphNames.length > 0) {
  logger.warn('running a single piece on embedded PGlite: other processes cannot share it; set DATABASE_URL and REDIS_URL');
}

let subgraphs: RunningSubgraphs | undefined;
let router: RunningRouter | undefined;
const lines: string[] = [];
try {
  if (subgraphNames.length > 0) {
    subgraphs = await startSubgraphs({
      logger,
      databaseUrl,
      dataDir: databaseUrl ? undefined : dataDir,
      redisUrl,
      busPrefix: env.TRIBUTARY_BUS_PREFIX,
      only: subgraphNames,
      ports: Object.fromEntries(subgraphRegistry.map((entry) => [entry.name, portOf(entry.name, entry.port)])),
      ...(values.host ? { host: values.host } : {}),
    });
    for (const subgraph of subgraphs.subgraphs) lines.push(`  ${subgraph.name.padEnd(10)} ${subgraph.url}`);
  }
  if (runs('router')) {
    // Subgraphs started here are reached where they actually listen; others as configured.
    const local = Object.fromEntries((subgraphs?.subgraphs ?? []).map((subgraph) => [subgraph.name, subgraph.url]));
    const playground = createPlaygroundHandler({ endpoint: '/graphql', title: 'Tributary' });
    router = await startRouter({
      supergraph: fileSupergraph(values.supergraph ?? 'schema/supergraph.graphql'),
      port: portOf('router', Number(env.PORT ?? 4000)),
      ...(values.host ? { host: values.host } : {}),
      logger,
      subgraphUrls: { ...local, ...urlOverridesFromEnv() },
      routes: [(req, res) => playground.handle(req, res)],
    });
    lines.unshift(`  router     ${router.url}  (GraphiQL in a browser; graphql-ws on the same path)`);
  }
} catch (error) {
  logger.error({ err: error }, 'startup failed');
  await router?.close();
  await subgraphs?.close();
  process.exit(1);
}
console.log(['Tributary is running:', ...lines].join('\n'));
if (subgraphs) console.log(`  storage    ${databaseUrl ? 'PostgreSQL' : `PGlite at ${dataDir}`}; bus ${redisUrl ? 'Redis' : 'in-process'}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: closing connections, draining, closing database and bus');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await router?.close();
  await subgraphs?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
