// `npm start`: runs the router and the subgraphs in one process on the embedded defaults, or only
// some of them (`--only router`, `--only inventory,tracking`) against shared PostgreSQL and Redis.
import './production-mode.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startTracing } from '../common/telemetry/start-tracing.js';
import { configuredRouterKey, routerKeySourceFromEnv } from '../common/trust/configured-router-key.js';
import { developmentTokenSource } from '../common/trust/development-tokens.js';
import type { RouterKey } from '../common/trust/router-key.js';
import { loadRouterConfig } from '../router/config/load-router-config.js';
import { resolveRouterSecurity, routerPlugins, routerSettings } from '../router/config/router-plugins.js';
import { createDashboardHandler } from '../router/dashboard/index.js';
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
    config: { type: 'string' },
  },
});
const only = values.only
  ?.flatMap((value) => value.split(','))
  .map((name) => name.trim())
  .filter(Boolean);
const runs = (name: string) => !only || only.includes(name);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
// Traces are exported only when the OTEL_* variables ask for it; otherwise spans cost nothing.
const stopTracing = startTracing(only ? `tributary-${only.join('-')}` : 'tributary');

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const redisUrl = env.REDIS_URL;
// The data folder: the embedded database (`pglite/`) and the development key.
const dataDir = values['data-dir'] ?? env.TRIBUTARY_DATA_DIR ?? '.data';
const pgliteDir = path.join(dataDir, 'pglite');
const portOf = (name: string, fallback: number) => Number(env[`${name.toUpperCase()}_PORT`] ?? fallback);
const subgraphNames = subgraphRegistry.map((entry) => entry.name).filter(runs);

if (only && !databaseUrl && subgraphNames.length > 0) {
  logger.warn('running a single piece on embedded PGlite: other processes cannot share it; set DATABASE_URL and REDIS_URL');
}

let subgraphs: RunningSubgraphs | undefined;
let router: RunningRouter | undefined;
const lines: string[] = [];
let tokenHint: string | undefined;
try {
  const routerConfig = runs('router') ? await loadRouterConfig(values.config ?? 'router.yaml') : undefined;
  const security = routerConfig ? await resolveRouterSecurity(routerConfig, { dataDir }) : undefined;
  // In one process the subgraphs trust the key the router signs with; alone, the configured one.
  const routerKey: RouterKey = security?.signingKey ?? (await configuredRouterKey(routerKeySourceFromEnv(env, dataDir))).key;
  if (subgraphNames.length > 0) {
    subgraphs = await startSubgraphs({
      logger,
      databaseUrl,
      dataDir: databaseUrl ? undefined : pgliteDir,
      redisUrl,
      busPrefix: env.TRIBUTARY_BUS_PREFIX,
      only: subgraphNames,
      ports: Object.fromEntries(subgraphRegistry.map((entry) => [entry.name, portOf(entry.name, entry.port)])),
      ...(values.host ? { host: values.host } : {}),
      routerKey,
    });
    for (const subgraph of subgraphs.subgraphs) lines.push(`  ${subgraph.name.padEnd(10)} ${subgraph.url}`);
  }
  if (routerConfig && security) {
    // Subgraphs started here are reached where they actually listen; others as configured.
    const local = Object.fromEntries((subgraphs?.subgraphs ?? []).map((subgraph) => [subgraph.name, subgraph.url]));
    const developmentToken = security.developmentKey ? developmentTokenSource(security.developmentKey) : undefined;
    const playground = createPlaygroundHandler({ endpoint: '/graphql', title: 'Tributary', ...(developmentToken ? { developmentToken } : {}) });
    const dashboard = createDashboardHandler(developmentToken ? { developmentToken } : {});
    const server = routerConfig.config.server;
    const { replicas, ...settings } = routerSettings(routerConfig);
    router = await startRouter({
      supergraph: fileSupergraph(values.supergraph ?? 'schema/supergraph.graphql'),
      plugins: await routerPlugins(routerConfig, security, { logger, redisUrl }),
      port: portOf('router', Number(env.PORT ?? server?.port ?? 4000)),
      ...((values.host ?? server?.host) ? { host: values.host ?? server?.host } : {}),
      logger,
      // Replicas in router.yaml, then subgraphs running here, then TRIBUTARY_SUBGRAPH_<NAME>_URL.
      subgraphUrls: { ...replicas, ...local, ...urlOverridesFromEnv() },
      ...settings,
      routes: [(req, res) => playground.handle(req, res), (req, res) => dashboard.handle(req, res)],
    });
    lines.unshift(`  router     ${router.url}  (GraphiQL in a browser; graphql-ws on the same path)`);
    lines.unshift(`  dashboard  ${router.url.replace(/\/graphql$/, '/')}`);
    if (security.mode === 'development') {
      tokenHint = `  auth       development key in ${dataDir}; a token: npm run token -- --sub you --scope inventory:write`;
    }
  }
} catch (error) {
  logger.error({ err: error }, 'startup failed');
  await router?.close();
  await subgraphs?.close();
  process.exit(1);
}
console.log(['Tributary is running:', ...lines].join('\n'));
if (subgraphs) console.log(`  storage    ${databaseUrl ? 'PostgreSQL' : `PGlite at ${pgliteDir}`}; bus ${redisUrl ? 'Redis' : 'in-process'}`);
if (tokenHint) console.log(tokenHint);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: closing connections, draining, closing database and bus');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await router?.close();
  await subgraphs?.close();
  await stopTracing?.();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
