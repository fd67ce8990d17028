import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { pino } from 'pino';
import { startRouter, type RunningRouter, type StartRouterOptions } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';
import { forecastTypeDefs, startForecastSubgraph, type ForecastSubgraph } from './forecast-subgraph.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { subgraphTrust, testRouterPlugins } from './security.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Composes subgraph SDLs with their URLs into a supergraph SDL (fails the test on errors). */
export function composeForTest(subgraphs: Array<{ name: string; url: string; typeDefs: ReturnType<typeof parse> }>): string {
  const result = composeServices(subgraphs);
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}

const inventorySdl = parse(readFileSync(new URL('../../subgraphs/inventory/schema.graphql', import.meta.url), 'utf8'));

/** Router + inventory (on a fresh database) + the test-only forecast subgraph. */
export interface RouterStack {
  readonly database: TestDatabase;
  readonly platform: Platform;
  /** Replaced when a test restarts the subgraph. */
  inventory: RunningSubgraph;
  readonly forecast: ForecastSubgraph;
  readonly router: RunningRouter;
  /** The composed supergraph SDL the router started with. */
  readonly supergraphSdl: string;
  readonly busPrefix: string;
  /** Live subscriptions the subgraph side has opened so far (they listen once counted). */
  liveOpened(): number;
  close(): Promise<void>;
}

export async function startRouterStack(
  options: { database?: TestDatabase; busPrefix?: string; router?: Partial<StartRouterOptions> } = {},
): Promise<RouterStack> {
  const database = options.database ?? (await createTestDatabase());
  const busPrefix = options.busPrefix ?? `tributary-test-${randomUUID()}`;
  // PGlite is in-process: the platform must use the test's own instance.
  const platform = await createPlatform({
    databaseUrl: database.url,
    redisUrl: backend.redisUrl,
    busPrefix,
    pollIntervalMs: 50,
    logger: silentLogger,
    ...(database.url ? {} : { database: database.database }),
  });
  // Count live subscriptions opened on the subgraph side, so tests can wait until one is listening.
  let liveOpened = 0;
  const live = platform.live.bind(platform);
  (platform as { live: Platform['live'] }).live = async (liveOptions) => {
    const iterator = await live(liveOptions);
    liveOpened += 1;
    return iterator;
  };
  const inventory = await startSubgraphServer(inventorySubgraph(platform), { port: 0, logger: silentLogger, trust: subgraphTrust });
  const forecast = await startForecastSubgraph();
  const supergraph = composeForTest([
    { name: 'inventory', url: inventory.url, typeDefs: inventorySdl },
    { name: 'forecast', url: forecast.url, typeDefs: forecastTypeDefs },
  ]);
  const router = await startRouter({
    supergraph: staticSupergraph(supergraph),
    port: 0,
    logger: silentLogger,
    plugins: await testRouterPlugins(),
    ...options.router,
  });
  const stack: RouterStack = {
    database,
    platform,
    inventory,
    forecast,
    router,
    supergraphSdl: supergraph,
    busPrefix,
    liveOpened: () => liveOpened,
    close: async () => {
      await router.close();
      await forecast.close();
      // A test may have restarted the subgraph: close the one running now.
      await stack.inventory.close();
      await platform.close();
      if (!options.database) await database.drop();
    },
  };
  return stack;
}
