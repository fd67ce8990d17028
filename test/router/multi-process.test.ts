import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { createPlatform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/environment.js';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { composeForTest, silentLogger } from '../support/router-harness.js';
import { bearer, subgraphTrust, testRouterPlugins } from '../support/security.js';
import { issueDevelopmentToken, loadOrCreateDevelopmentKey } from '../../common/trust/development-key.js';
import { PRODUCT_SCOPES } from '../../common/trust/product-scopes.js';

const repository = path.resolve(import.meta.dirname, '../..');
const inventorySdl = parse(readFileSync(path.join(repository, 'subgraphs/inventory/schema.graphql'), 'utf8'));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs `npm start -- <args>` as a real child process. */
function startProcess(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/tributary.ts', ...args], {
    cwd: repository,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function waitReady(url: string): Promise<void> {
  await eventually(
    async () => {
      try {
        return (await fetch(url)).status === 200;
      } catch {
        return false;
      }
    },
    // Four Node processes compile and start at once; on two busy cores that takes a while.
    180_000,
    `${url} to be ready`,
  );
}

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Router A and router B, each in front of its own inventory replica, on one store and bus. */
async function startTwoOfEach(): Promise<{ routerA: string; routerB: string; wsA: string; auth: Record<string, string> }> {
  if (backend.databaseUrl) {
    // Real processes on shared PostgreSQL and Redis, and one data folder: its development key
    // signs the client token and every router → subgraph call.
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-two-routers-'));
    const key = await loadOrCreateDevelopmentKey(dir);
    const token = await issueDevelopmentToken(key, { subject: 'two-routers', scopes: PRODUCT_SCOPES, ttlSeconds: 3_600 });
    const busPrefix = `tributary-test-${randomUUID()}`;
    const shared = { DATABASE_URL: database.url!, REDIS_URL: backend.redisUrl ?? '', TRIBUTARY_BUS_PREFIX: busPrefix, TRIBUTARY_DATA_DIR: dir };
    const [inventory1, inventory2, portA, portB] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    children.push(startProcess(['--only', 'inventory'], { ...shared, INVENTORY_PORT: String(inventory1) }));
    children.push(startProcess(['--only', 'inventory'], { ...shared, INVENTORY_PORT: String(inventory2) }));
    const file = path.join(dir, 'supergraph.graphql');
    await writeFile(file, composeForTest([{ name: 'inventory', url: 'http://127.0.0.1:1/graphql', typeDefs: inventorySdl }]));
    const routerEnv = (inventoryPort: number, routerPort: number) => ({
      TRIBUTARY_DATA_DIR: dir,
      ROUTER_PORT: String(routerPort),
      TRIBUTARY_SUBGRAPH_INVENTORY_URL: `http://127.0.0.1:${inventoryPort}/graphql`,
    });
    children.push(startProcess(['--only', 'router', '--supergraph', file], routerEnv(inventory1, portA)));
    children.push(startProcess(['--only', 'router', '--supergraph', file], routerEnv(inventory2, portB)));
    await Promise.all([waitReady(`http://127.0.0.1:${portA}/ready`), waitReady(`http://127.0.0.1:${portB}/ready`)]);
    return {
      routerA: `http://127.0.0.1:${portA}/graphql`,
      routerB: `http://127.0.0.1:${portB}/graphql`,
      wsA: `ws://127.0.0.1:${portA}/graphql`,
      auth: { authorization: `Bearer ${token}` },
    };
  }
  // Embedded PGlite lives inside one process: run the same topology in-process on one database.
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const platform = await createPlatform({ database: database.database, logger: silentLogger, pollIntervalMs: 50 });
  cleanups.push(() => platform.close());
  const routers: RunningRouter[] = [];
  for (let index = 0; index < 2; index += 1) {
    const inventory = await startSubgraphServer(inventorySubgraph(platform), { port: 0, logger: silentLogger, trust: subgraphTrust });
    cleanups.push(() => inventory.close());
    const router = await startRouter({
      supergraph: staticSupergraph(composeForTest([{ name: 'inventory', url: inventory.url, typeDefs: inventorySdl }])),
      port: 0,
      logger: silentLogger,
      plugins: await testRouterPlugins(),
    });
    cleanups.push(() => router.close());
    routers.push(router);
  }
  return { routerA: routers[0]!.url, routerB: routers[1]!.url, wsA: routers[0]!.wsUrl, auth: await bearer('two-routers') };
}

describe('two routers and two inventory replicas on one store and bus', () => {
  it('a subscriber on router A sees a mutation made through router B', { timeout: 300_000 }, async () => {
    const { routerA, routerB, wsA, auth } = await startTwoOfEach();
    const created = await gql(
      routerB,
      `mutation {
      registerProduct(input: { id: "tea", sku: "TEA-1", name: "Tea" }) { events { position } }
      registerStore(input: { id: "bcn", name: "Barcelona" }) { events { position } }
    }`,
      {},
      auth,
    );
    expect(created.errors).toBeUndefined();
    const after = created.data!.registerStore.events[0].position as string;
    const client = wsClient(wsA);
    // Resuming after the store's event makes the subscription gap-free from that point on.
    const stream = collect(
      client,
      `subscription($after: String) {
      stockLevelChanged(productId: "tea", storeId: "bcn", after: $after) { total position product { name } }
    }`,
      { after },
    );
    const added = await gql(routerB, 'mutation { addStock(input: { productId: "tea", storeId: "bcn", quantity: 12 }) { stockLevel { position } } }', {}, auth);
    expect(added.errors).toBeUndefined();
    const [event] = await stream.waitFor(1, 60_000);
    expect(event?.data?.stockLevelChanged).toEqual({ total: 12, position: added.data!.addStock.stockLevel.position, product: { name: 'Tea' } });
    // And the other way round for queries: router A reads what router B wrote.
    expect((await gql(routerA, '{ stockLevel(productId: "tea", storeId: "bcn") { total } }')).data).toEqual({ stockLevel: { total: 12 } });
    stream.dispose();
    await client.dispose();
  });
});
