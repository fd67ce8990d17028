import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stockSnapshots } from '../../../subgraphs/inventory/domain/index.js';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { untilSentinel } from '../../support/sentinel.js';
import {
  ADD_STOCK,
  EVENT_FIELDS,
  LEVEL_FIELDS,
  REMOVE_STOCK,
  RESERVE_STOCK,
  SET_THRESHOLD,
  SubscriptionProbe,
  expectStrictlyIncreasing,
  ok,
  positionsOf,
  productAndStore,
  subscribeLive,
  wsClient,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startInventoryHarness();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

afterAll(async () => {
  await harness?.close();
});

function client(): Client {
  const created = wsClient(harness);
  clients.push(created);
  return created;
}

const STOCK_LEVEL_CHANGED = `subscription($productId: ID!, $storeId: ID!, $after: String) {
  stockLevelChanged(productId: $productId, storeId: $storeId, after: $after) { ${LEVEL_FIELDS} }
}`;
const LOW_STOCK_ALERTS = `subscription($storeId: ID, $after: String) { lowStockAlerts(storeId: $storeId, after: $after) { ${LEVEL_FIELDS} } }`;
const INVENTORY_EVENTS = `subscription($types: [String!], $after: String) { inventoryEvents(types: $types, after: $after) { ${EVENT_FIELDS} } }`;

/**
 * What `probe` received before the item at the position `send` returns, a later change the probe
 * must get: a stray or repeated item would be among what came first.
 */
async function beforeSentinel<Item extends { readonly position?: unknown }>(
  probe: { readonly items: readonly Item[] },
  send: () => Promise<string>,
): Promise<Item[]> {
  let position: string | undefined;
  return untilSentinel(
    probe.items,
    async () => {
      position = await send();
    },
    (item) => item.position === position,
  );
}

const addOne = (key: { productId: string; storeId: string }) => async (): Promise<string> =>
  (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock.events[0].position as string;
const removeOne = (key: { productId: string; storeId: string }) => async (): Promise<string> =>
  (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 1, reason: 'sentinel' } })).removeStock.events[0].position as string;

type Level = {
  productId: string;
  storeId: string;
  total: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
  version: number;
  position: string;
  isLow: boolean;
};

describe('stockLevelChanged', () => {
  it('streams the live stock level after each change, with its position', async () => {
    const key = await productAndStore(harness, 'live');
    const probe = await subscribeLive<Level>(harness, client(), STOCK_LEVEL_CHANGED, key, 1);
    const added = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 12 } })).addStock;
    const [first] = await probe.waitForItems(1);
    expect(first).toEqual(added.stockLevel);
    expect(first).toMatchObject({ total: 12, reserved: 0, available: 12, version: 1, position: added.events[0].position });

    const reserved = (await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 5, customerId: 'c' } })).reserveStock;
    const [, second] = await probe.waitForItems(2);
    expect(second).toMatchObject({ total: 12, reserved: 5, available: 7, isLow: true, version: 2, position: reserved.events[0].position });
  });

  it('follows only its own stock level', async () => {
    const key = await productAndStore(harness, 'own');
    const other = await productAndStore(harness, 'other');
    const probe = await subscribeLive<Level>(harness, client(), STOCK_LEVEL_CHANGED, key, 1);
    await ok(harness, ADD_STOCK, { input: { ...other, quantity: 1 } });
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 2 } });
    await ok(harness, ADD_STOCK, { input: { ...other, quantity: 3 } });
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 4 } });
    const items = await probe.waitForItems(2);
    expect(await beforeSentinel(probe, addOne(key))).toHaveLength(2);
    expect(items.map((item) => [item.productId, item.total])).toEqual([
      [key.productId, 2],
      [key.productId, 6],
    ]);
  });

  it('a client resuming after a position gets exactly the missed updates as of each event, then live ones, no duplicates', async () => {
    const key = await productAndStore(harness, 'resume');
    const first = client();
    const probe = await subscribeLive<Level>(harness, first, STOCK_LEVEL_CHANGED, key, 1);
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 20 } });
    const [seen] = await probe.waitForItems(1);
    probe.stop();
    await first.dispose();

    // Missed while disconnected: three changes.
    const missed = [
      (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 3, reason: 'broken' } })).removeStock,
      (await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 4, customerId: 'c' } })).reserveStock,
      (await ok(harness, SET_THRESHOLD, { input: { ...key, threshold: 15 } })).setLowStockThreshold,
    ];
    // Noise in another stream must not be replayed.
    const other = await productAndStore(harness, 'noise');
    await ok(harness, ADD_STOCK, { input: { ...other, quantity: 1 } });

    const resumed = await subscribeLive<Level>(harness, client(), STOCK_LEVEL_CHANGED, { ...key, after: seen!.position }, 1);
    const replayed = await resumed.waitForItems(3);
    expect(replayed.map((item) => item.position)).toEqual(missed.map((payload) => payload.events[0].position));
    expect(replayed.map((item) => [item.version, item.total, item.reserved, item.lowStockThreshold])).toEqual([
      [2, 17, 0, 10],
      [3, 17, 4, 10],
      [4, 17, 4, 15],
    ]);
    // Each replayed level is as of its event (the read model already holds version 4).
    expect(replayed[0]!.available).toBe(17);
    expect(replayed[0]!.isLow).toBe(false);

    const live = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock;
    const all = await resumed.waitForItems(4);
    expect(all[3]).toEqual(live.stockLevel);
    const received = await beforeSentinel(resumed, addOne(key));
    expect(received).toHaveLength(4);
    expectStrictlyIncreasing(positionsOf(received));
  });

  it('a client resuming on a stream longer than its snapshots gets the levels as of each event', async () => {
    const key = await productAndStore(harness, 'long');
    const added = [];
    for (let index = 0; index < stockSnapshots.every + 20; index += 1) added.push((await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock);
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 3, customerId: 'c' } });
    // Resumes after the snapshot's version: its first level starts from the snapshot's state.
    const from = stockSnapshots.every + 10;
    const probe = await subscribeLive<Level>(harness, client(), STOCK_LEVEL_CHANGED, { ...key, after: added[from - 1].events[0].position }, 1);
    const replayed = await probe.waitForItems(11);
    expect(replayed[0]).toMatchObject({ version: from + 1, total: from + 1, reserved: 0 });
    expect(replayed[10]).toMatchObject({
      version: stockSnapshots.every + 21,
      total: stockSnapshots.every + 20,
      reserved: 3,
      available: stockSnapshots.every + 17,
    });
    const live = (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 2, reason: 'broken' } })).removeStock;
    expect((await probe.waitForItems(12))[11]).toEqual(live.stockLevel);
  });

  it('changes committed while the client replays are delivered once, in order', async () => {
    const key = await productAndStore(harness, 'overlap');
    const start = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock;
    for (let index = 0; index < 30; index += 1) await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } });
    const probe = new SubscriptionProbe<Level>(client(), STOCK_LEVEL_CHANGED, { ...key, after: start.events[0].position });
    // Meanwhile, more changes: some land in the replay, some arrive live, some both ways.
    for (let index = 0; index < 20; index += 1) await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } });
    const items = await probe.waitForItems(50);
    expect(await beforeSentinel(probe, addOne(key))).toHaveLength(50);
    expect(items.map((item) => item.version)).toEqual(Array.from({ length: 50 }, (_, index) => index + 2));
    expect(items.map((item) => item.total)).toEqual(Array.from({ length: 50 }, (_, index) => index + 2));
  });
});

describe('lowStockAlerts', () => {
  it('fires when a level enters the low zone and on further drops, not while it stays above', async () => {
    const key = await productAndStore(harness, 'alerts');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 30 } });
    const probe = await subscribeLive<Level>(harness, client(), LOW_STOCK_ALERTS, { storeId: key.storeId }, 1);
    await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 10, reason: 'x' } }); // 20: not low
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 9, customerId: 'c' } }); // 11: not low
    const entered = (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 2, reason: 'x' } })).removeStock; // 9: low
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } }); // 10: low, but rising
    const dropped = (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 4, reason: 'x' } })).removeStock; // 6: lower
    const items = await probe.waitForItems(2);
    // 5: lower again, an alert that must come after anything else.
    expect(await beforeSentinel(probe, removeOne(key))).toHaveLength(2);
    expect(items[0]).toEqual(entered.stockLevel);
    expect(items[0]).toMatchObject({ available: 9, isLow: true });
    expect(items[1]).toMatchObject({ available: 6, isLow: true, position: dropped.events[0].position });
  });

  it('only alerts for the requested store', async () => {
    const key = await productAndStore(harness, 'alertstore');
    const other = await productAndStore(harness, 'alertother');
    const probe = await subscribeLive<Level>(harness, client(), LOW_STOCK_ALERTS, { storeId: key.storeId }, 1);
    await ok(harness, ADD_STOCK, { input: { ...other, quantity: 2 } });
    const mine = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 3 } })).addStock;
    const [alert] = await probe.waitForItems(1);
    // 2: lower, an alert of this store after any stray one of the other.
    expect(await beforeSentinel(probe, removeOne(key))).toHaveLength(1);
    expect(alert).toEqual(mine.stockLevel);
  });
});

describe('inventoryEvents', () => {
  it('streams every inventory event, or only the requested types', async () => {
    const all = await subscribeLive(harness, client(), INVENTORY_EVENTS, {}, 3);
    const removals = await subscribeLive(harness, client(), INVENTORY_EVENTS, { types: ['StockRemoved', 'ProductRegistered'] }, 3);
    const key = await productAndStore(harness, 'events');
    const added = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } })).addStock;
    const removed = (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 1, reason: 'r' } }, { correlationId: 'remove-1' })).removeStock;
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'c' } });

    const everything = await all.waitForItems(5);
    expect(everything.map((event: any) => event.type)).toEqual(['ProductRegistered', 'StoreRegistered', 'StockAdded', 'StockRemoved', 'StockReserved']);
    expect(everything[2]).toEqual(added.events[0]);
    const filtered = await removals.waitForItems(2);
    expect(await beforeSentinel(removals, removeOne(key))).toHaveLength(2);
    expect(filtered.map((event: any) => event.type)).toEqual(['ProductRegistered', 'StockRemoved']);
    expect(filtered[1]).toEqual(removed.events[0]);
    expect((filtered[1] as any).metadata.correlationId).toBe('remove-1');
    expectStrictlyIncreasing(positionsOf(everything as any));
  });

  it('resumes after a position', async () => {
    const key = await productAndStore(harness, 'eventsresume');
    const from = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } })).addStock.events[0].position;
    const next = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 6 } })).addStock.events[0];
    const probe = await subscribeLive(harness, client(), INVENTORY_EVENTS, { types: ['StockAdded'], after: from }, 3);
    const [replayed] = await probe.waitForItems(1);
    expect(replayed).toEqual(next);
  });
});

describe('bad resume positions', () => {
  it('an unknown or malformed `after` is BAD_USER_INPUT', async () => {
    for (const [query, variables] of [
      [STOCK_LEVEL_CHANGED, { productId: 'p', storeId: 's', after: '999999999999' }],
      [LOW_STOCK_ALERTS, { after: 'not-a-position' }],
      [INVENTORY_EVENTS, { after: '-1' }],
    ] as const) {
      const probe = new SubscriptionProbe(client(), query, variables);
      await expect.poll(() => probe.errors.length, { timeout: 60_000 }).toBeGreaterThan(0);
      expect(probe.errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(probe.items).toEqual([]);
    }
    // The bus subscriptions of the failed attempts are released.
    await expect.poll(() => harness.busSubscriptions(), { timeout: 60_000 }).toBe(0);
  });
});
