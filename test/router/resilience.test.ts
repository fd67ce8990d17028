import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { subgraphPolicies } from '../../router/resilience/subgraph-policy.js';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { startFaultyProxy, type FaultyProxy } from '../support/faulty-proxy.js';
import { collect, eventually, wsClient, type GraphQLResponse } from '../support/graphql-clients.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { bearer, subgraphTrust, testRouterPlugins } from '../support/security.js';
import { addStock, newStock, type StockKey } from '../support/stock-through-router.js';

let stack: RouterStack;
let replica: RunningSubgraph;
let proxy: FaultyProxy;
let router: RunningRouter;
let key: StockKey;

const HALF_OPEN_AFTER_MS = 800;

beforeAll(async () => {
  stack = await startRouterStack();
  // A second inventory replica on the same store, and a proxy that can make forecast fail.
  replica = await startSubgraphServer(inventorySubgraph(stack.platform), { port: 0, logger: silentLogger, trust: subgraphTrust });
  proxy = await startFaultyProxy(stack.forecast.url);
  router = await startRouter({
    supergraph: staticSupergraph(stack.supergraphSdl),
    port: 0,
    logger: silentLogger,
    plugins: await testRouterPlugins(),
    subgraphUrls: { inventory: [stack.inventory.url, replica.url], forecast: proxy.url },
    policies: subgraphPolicies(
      { retries: 2, retryDelayMs: 10, maxRetryDelayMs: 50, healthIntervalMs: 200 },
      // No health probes for forecast: every call the proxy sees is one the circuit let through.
      { forecast: { timeoutMs: 400, retries: 1, breakerFailures: 3, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS, healthIntervalMs: 0 } },
    ),
  });
  key = await newStock(router.url);
  await addStock(router.url, key, 3);
});
afterAll(async () => {
  await router.close();
  await proxy.close();
  await replica.close().catch(() => undefined);
  await stack.close();
});

async function post(query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const response = await fetch(router.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { ms: performance.now() - started, ...((await response.json()) as GraphQLResponse) };
}

const WITH_FORECAST = `query($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { total forecast } }`;
const errorsOf = (response: GraphQLResponse) => response.errors?.map((error) => ({ code: error.extensions?.code, serviceName: error.extensions?.serviceName }));

async function readiness(): Promise<{
  status: number;
  body: { subgraphs: Array<{ name: string; ok: boolean; replicas: Array<{ url: string; circuit: string; healthy: boolean }> }> };
}> {
  const response = await fetch(router.url.replace('/graphql', '/ready'));
  return { status: response.status, body: (await response.json()) as never };
}

describe('subgraph policies', () => {
  it('opens the circuit of a failing subgraph, fails fast with a coded error naming it, and recovers', async () => {
    proxy.mode = 'fail-500';
    const failing = await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    expect(errorsOf(failing)).toEqual([{ code: 'SUBGRAPH_HTTP_ERROR', serviceName: 'forecast' }]);
    // The inventory part is served; forecast is non-null, so the level is null.
    expect(failing.data).toEqual({ stockLevel: null });
    // Three failed calls open the circuit (a 500 is not retried: the subgraph answered); then no call reaches it.
    await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    const reached = proxy.requests();
    const open = await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    expect(errorsOf(open)).toEqual([{ code: 'SUBGRAPH_CIRCUIT_OPEN', serviceName: 'forecast' }]);
    expect(proxy.requests()).toBe(reached);
    expect(open.ms).toBeLessThan(200);
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.subgraphs.find((subgraph) => subgraph.name === 'forecast')?.replicas[0]?.circuit).toBe('open');

    // Half-open: one probe call is let through; a hanging subgraph times out and opens it again.
    // (The breaker's timing is the subject: the probe is let through only once the delay is over.)
    proxy.mode = 'hang';
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MS + 100));
    const hanging = await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    expect(errorsOf(hanging)).toEqual([{ code: 'SUBGRAPH_TIMEOUT', serviceName: 'forecast' }]);

    // Healthy again: after the next half-open probe succeeds, calls flow.
    proxy.mode = 'pass';
    // Again the half-open delay itself, which the test is about.
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MS + 100));
    await eventually(async () => (await post(WITH_FORECAST, { p: key.productId, s: key.storeId })).errors === undefined, 5_000, 'recovery');
    const recovered = await post(WITH_FORECAST, { p: key.productId, s: key.storeId });
    expect(recovered.data?.stockLevel).toEqual({ total: 3, forecast: expect.any(Number) });
    await eventually(async () => (await readiness()).status === 200, 5_000, 'ready again');
  });

  it('names the subgraph that cannot be reached', async () => {
    const unreachable = await startRouter({
      supergraph: staticSupergraph(stack.supergraphSdl),
      port: 0,
      logger: silentLogger,
      plugins: await testRouterPlugins(),
      subgraphUrls: { forecast: 'http://127.0.0.1:9/graphql' },
      policies: subgraphPolicies({ retries: 0 }),
    });
    try {
      const response = await fetch(unreachable.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: WITH_FORECAST, variables: { p: key.productId, s: key.storeId } }),
      });
      const body = (await response.json()) as GraphQLResponse;
      expect(errorsOf(body)).toEqual([{ code: 'SUBGRAPH_UNREACHABLE', serviceName: 'forecast' }]);
      expect(body.errors?.[0]?.message).toMatch(/forecast/);
    } finally {
      await unreachable.close();
    }
  });
});

describe('replicas', () => {
  it('loses no query and no subscription event when a replica is killed under load', async () => {
    const liveKey = await newStock(router.url);
    const opened = stack.liveOpened();
    const client = wsClient(router.wsUrl);
    const stream = collect(client, `subscription($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { total position } }`, {
      p: liveKey.productId,
      s: liveKey.storeId,
    });
    await eventually(() => router.engine.stats().upstreams > 0, 10_000, 'the upstream subscription');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'a replica to listen');
    const headers = await bearer();
    let running = true;
    const failures: unknown[] = [];
    let queries = 0;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (running) {
          const response = await post(`{ products(first: 5) { edges { node { id stockLevels { total } } } } }`);
          queries += 1;
          if (response.errors) failures.push(response.errors);
        }
      }),
    );
    let total = 0;
    const mutate = async (quantity: number) => {
      const response = await fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          query: 'mutation($p: ID!, $s: ID!, $q: Int!) { addStock(input: { productId: $p, storeId: $s, quantity: $q }) { stockLevel { total } } }',
          variables: { p: liveKey.productId, s: liveKey.storeId, q: quantity },
        }),
      });
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors).toBeUndefined();
      total += quantity;
    };
    for (let index = 1; index <= 5; index += 1) await mutate(index);
    await replica.close();
    for (let index = 6; index <= 10; index += 1) await mutate(index);
    // The load goes on for a while after the kill: how long is the point, every query must pass.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    await load;
    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(20);
    await stream.waitFor(10, 20_000);
    const totals = stream.results.map((result) => result.data?.stockLevelChanged.total as number);
    expect(totals).toEqual([1, 3, 6, 10, 15, 21, 28, 36, 45, 55]);
    expect(total).toBe(55);
    const ready = await readiness();
    const inventory = ready.body.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    expect(inventory.ok).toBe(true);
    expect(inventory.replicas.find((entry) => entry.url === replica.url)?.healthy).toBe(false);
    await client.dispose();
  });
});
