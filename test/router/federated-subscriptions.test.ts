import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { expectedForecast } from '../support/forecast-subgraph.js';
import { collect, eventually, wsClient } from '../support/graphql-clients.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { subgraphTrust } from '../support/security.js';
import { addStock as addStockThrough, newStock as createStock, type StockKey } from '../support/stock-through-router.js';

const STOCK_SUBSCRIPTION = `subscription Stock($productId: ID!, $storeId: ID!, $after: String) {
  stockLevelChanged(productId: $productId, storeId: $storeId, after: $after) {
    position total available forecast product { name }
  }
}`;

let stack: RouterStack;
const newStock = () => createStock(stack.router.url);
const addStock = (key: StockKey, quantity: number) => addStockThrough(stack.router.url, key, quantity);

/** Returns a function that waits until one more live subscription listens on the subgraph. */
function nextUpstream(): () => Promise<void> {
  const opened = stack.liveOpened();
  return () => eventually(() => stack.liveOpened() > opened, 10_000, 'upstream subscription');
}

beforeAll(async () => {
  stack = await startRouterStack();
});
afterAll(async () => {
  await stack.close();
});

describe('federated subscriptions through the router', () => {
  it('delivers the event of a mutation made through the router, enriched by a second subgraph', async () => {
    const key = await newStock();
    const client = wsClient(stack.router.wsUrl);
    const upstreamReady = nextUpstream();
    const stream = collect(client, STOCK_SUBSCRIPTION, key);
    await upstreamReady();
    const level = await addStock(key, 7);
    const [event] = await stream.waitFor(1);
    expect(event).toEqual({
      data: {
        stockLevelChanged: {
          position: level.position,
          total: 7,
          available: 7,
          forecast: expectedForecast(key.productId, key.storeId),
          product: { name: 'Green tea' },
        },
      },
    });
    stream.dispose();
    await client.dispose();
  });

  it('shares one upstream subscription and one enrichment per event among 100 identical clients', async () => {
    const key = await newStock();
    const before = stack.router.engine.stats();
    const fetchesBefore = stack.forecast.entityFetches();
    const clients = Array.from({ length: 10 }, () => wsClient(stack.router.wsUrl));
    const upstreamReady = nextUpstream();
    const streams = Array.from({ length: 100 }, (_, index) => collect(clients[index % 10]!, STOCK_SUBSCRIPTION, key));
    await eventually(() => stack.router.engine.stats().clients - before.clients === 100, 10_000, '100 clients');
    await upstreamReady();
    await addStock(key, 3);
    await addStock(key, 4);
    for (const stream of streams) {
      const events = await stream.waitFor(2);
      expect(events.map((event) => event.data?.stockLevelChanged.total)).toEqual([3, 7]);
    }
    const after = stack.router.engine.stats();
    expect(after.upstreamsStarted - before.upstreamsStarted).toBe(1);
    expect(after.enrichments - before.enrichments).toBe(2);
    expect(stack.forecast.entityFetches() - fetchesBefore).toBe(2);
    for (const stream of streams) stream.dispose();
    await eventually(() => stack.router.engine.stats().upstreams === before.upstreams, 5_000, 'upstream closed after the last client');
    for (const client of clients) await client.dispose();
  });

  it('resumes from a position: a client that reconnects with its last position misses nothing', async () => {
    const key = await newStock();
    const client = wsClient(stack.router.wsUrl);
    const upstreamReady = nextUpstream();
    const first = collect(client, STOCK_SUBSCRIPTION, key);
    await upstreamReady();
    await addStock(key, 1);
    const [seen] = await first.waitFor(1);
    first.dispose();
    await eventually(() => stack.router.engine.stats().upstreams === 0, 5_000, 'upstream closed');
    // Changes while the client is away.
    await addStock(key, 2);
    await addStock(key, 3);
    const resumed = collect(client, STOCK_SUBSCRIPTION, { ...key, after: seen!.data!.stockLevelChanged.position });
    const missed = await resumed.waitFor(2);
    expect(missed.map((event) => event.data?.stockLevelChanged.total)).toEqual([3, 6]);
    await addStock(key, 4);
    const all = await resumed.waitFor(3);
    expect(all.map((event) => event.data?.stockLevelChanged.total)).toEqual([3, 6, 10]);
    resumed.dispose();
    await client.dispose();
  });

  it('keeps client subscriptions open when the subgraph socket drops, resuming without loss or duplicates', async () => {
    const key = await newStock();
    const client = wsClient(stack.router.wsUrl);
    const upstreamReady = nextUpstream();
    const stream = collect(client, STOCK_SUBSCRIPTION, key);
    await upstreamReady();
    await addStock(key, 1);
    await stream.waitFor(1);
    await stack.router.upstreams.terminateAll();
    // Appended while the router's upstream socket is down.
    await addStock(key, 1);
    await addStock(key, 1);
    const events = await stream.waitFor(3);
    expect(events.map((event) => event.data?.stockLevelChanged.total)).toEqual([1, 2, 3]);
    await addStock(key, 1);
    expect((await stream.waitFor(4)).map((event) => event.data?.stockLevelChanged.total)).toEqual([1, 2, 3, 4]);
    expect(stream.completed).toBe(false);
    expect(stream.errors).toEqual([]);
    stream.dispose();
    await client.dispose();
  });

  it('survives a restart of the subgraph itself', async () => {
    const key = await newStock();
    const client = wsClient(stack.router.wsUrl);
    const upstreamReady = nextUpstream();
    const stream = collect(client, STOCK_SUBSCRIPTION, key);
    await upstreamReady();
    await addStock(key, 5);
    await stream.waitFor(1);
    const port = Number(new URL(stack.inventory.url).port);
    await stack.inventory.close();
    // The event is committed while no subgraph serves subscriptions.
    await stack.platform.execute({
      streamId: `stock-${key.productId}:${key.storeId}`,
      events: (await import('../../subgraphs/inventory/domain/index.js')).STOCK_EVENTS,
      decider: (await import('../../subgraphs/inventory/domain/index.js')).stockDecider,
      command: { type: 'AddStock', productId: key.productId, storeId: key.storeId, quantity: 5 },
      metadata: {},
      project: async (tx, stream_) => {
        const { projectStream } = await import('../../subgraphs/shared/projections/stream-projection.js');
        const { stockProjection } = await import('../../subgraphs/inventory/projections/index.js');
        await projectStream(tx, stockProjection, stream_.history);
      },
    });
    const restarted = await startSubgraphServer(inventorySubgraph(stack.platform), { port, logger: silentLogger, trust: subgraphTrust });
    stack.inventory = restarted;
    const events = await stream.waitFor(2, 20_000);
    expect(events.map((event) => event.data?.stockLevelChanged.total)).toEqual([5, 10]);
    expect(stream.errors).toEqual([]);
    stream.dispose();
    await client.dispose();
  });
});
