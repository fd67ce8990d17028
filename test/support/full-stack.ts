import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { startRouter, type RunningRouter, type StartRouterOptions } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { subgraphRegistry } from '../../subgraphs/registry.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';
import { composeForTest, silentLogger } from './router-harness.js';
import { subgraphTrust, testRouterPlugins } from './security.js';

/** The whole product on a fresh database: every subgraph of the registry and the router. */
export interface FullStack {
  readonly database: TestDatabase;
  readonly platform: Platform;
  /** Mutable so a test can restart one subgraph in place. */
  readonly subgraphs: RunningSubgraph[];
  readonly router: RunningRouter;
  /** The composed supergraph the router serves (the subgraphs on their test ports). */
  readonly supergraphSdl: string;
  /** Live subscriptions the subgraphs have opened so far (they listen once counted). */
  liveOpened(): number;
  close(): Promise<void>;
}

/** `routes`: extra HTTP routes of the router (the dashboard, the playground). */
export async function startFullStack(options: { routes?: StartRouterOptions['routes'] } = {}): Promise<FullStack> {
  const database = await createTestDatabase();
  const platform = await createPlatform({
    database: database.database,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-test-${randomUUID()}`,
    pollIntervalMs: 50,
    logger: silentLogger,
  });
  // Count live subscriptions opened on the subgraph side (live events, and stream changes such as
  // campaign stats follow), so tests can wait until one is listening.
  let liveOpened = 0;
  const live = platform.live.bind(platform);
  (platform as { live: Platform['live'] }).live = async (liveOptions) => {
    const iterator = await live(liveOptions);
    liveOpened += 1;
    return iterator;
  };
  const changes = platform.changes.bind(platform);
  (platform as { changes: Platform['changes'] }).changes = async (changesOptions) => {
    const iterator = await changes(changesOptions);
    liveOpened += 1;
    return iterator;
  };
  const subgraphs: RunningSubgraph[] = [];
  for (const entry of subgraphRegistry) {
    subgraphs.push(
      await startSubgraphServer(entry.create(platform), { port: 0, logger: silentLogger, trust: subgraphTrust, metrics: platform.metrics.registry }),
    );
  }
  const supergraph = composeForTest(
    subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(readFileSync(new URL(`../../subgraphs/${subgraph.name}/schema.graphql`, import.meta.url), 'utf8')),
    })),
  );
  const router = await startRouter({
    supergraph: staticSupergraph(supergraph),
    port: 0,
    logger: silentLogger,
    plugins: await testRouterPlugins(),
    ...(options.routes ? { routes: options.routes } : {}),
  });
  return {
    database,
    platform,
    subgraphs,
    router,
    supergraphSdl: supergraph,
    liveOpened: () => liveOpened,
    close: async () => {
      await router.close();
      for (const subgraph of subgraphs) await subgraph.close();
      await platform.close();
      await database.drop();
    },
  };
}
