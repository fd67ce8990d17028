import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { subgraphRegistry } from '../../subgraphs/registry.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';
import { composeForTest, silentLogger } from './router-harness.js';

/** The whole product on a fresh database: every subgraph of the registry and the router. */
export interface FullStack {
  readonly database: TestDatabase;
  readonly platform: Platform;
  /** Mutable so a test can restart one subgraph in place. */
  readonly subgraphs: RunningSubgraph[];
  readonly router: RunningRouter;
  close(): Promise<void>;
}

export async function startFullStack(): Promise<FullStack> {
  const database = await createTestDatabase();
  const platform = await createPlatform({
    database: database.database,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-test-${randomUUID()}`,
    pollIntervalMs: 50,
    logger: silentLogger,
  });
  const subgraphs: RunningSubgraph[] = [];
  for (const entry of subgraphRegistry) {
    subgraphs.push(await startSubgraphServer(entry.create(platform), { port: 0, logger: silentLogger }));
  }
  const supergraph = composeForTest(
    subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(readFileSync(new URL(`../../subgraphs/${subgraph.name}/schema.graphql`, import.meta.url), 'utf8')),
    })),
  );
  const router = await startRouter({ supergraph: staticSupergraph(supergraph), port: 0, logger: silentLogger });
  return {
    database,
    platform,
    subgraphs,
    router,
    close: async () => {
      await router.close();
      for (const subgraph of subgraphs) await subgraph.close();
      await platform.close();
      await database.drop();
    },
  };
}
