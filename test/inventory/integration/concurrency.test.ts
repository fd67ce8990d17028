import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { ADD_STOCK, LEVEL_FIELDS, STOCK_LEVEL, ok, productAndStore } from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;

beforeAll(async () => {
  harness = await startInventoryHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('reservations under concurrency', () => {
  it('50 concurrent reservations of 1 unit on 10 available: exactly 10 succeed, 40 are INSUFFICIENT_STOCK', async () => {
    const key = await productAndStore(harness, 'race');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } });
    // Watches the read model while the race runs: available must never go below zero.
    let watching = true;
    let lowest = Number.POSITIVE_INFINITY;
    const watcher = (async () => {
      while (watching) {
        const [row] = await harness.platform.db.sql.query<{ available: number }>(
          'SELECT total - reserved AS available FROM stock_levels WHERE product_id = $1 AND store_id = $2',
          [key.productId, key.storeId],
        );
        lowest = Math.min(lowest, Number(row?.available ?? 0));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        harness.request(
          `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } stockLevel { ${LEVEL_FIELDS} } events { version } } }`,
          {
            input: { ...key, quantity: 1, customerId: `customer_${index}` },
          },
        ),
      ),
    );
    watching = false;
    await watcher;

    const succeeded = responses.filter((response) => !response.errors && response.data?.reserveStock);
    const refused = responses.filter((response) => response.errors);
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const response of refused) {
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 0, requested: 1 });
    }
    // Each success appended its own version of the stream; every payload shows a non-negative availability.
    const versions = succeeded.map((response) => response.data!.reserveStock.events[0].version as number);
    expect([...versions].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const response of succeeded) expect(response.data!.reserveStock.stockLevel.available).toBeGreaterThanOrEqual(0);
    expect(lowest).toBeGreaterThanOrEqual(0);

    const { stockLevel } = await ok(harness, STOCK_LEVEL, key);
    expect(stockLevel).toMatchObject({ total: 10, reserved: 10, available: 0, version: 11 });
    const [counts] = await harness.platform.db.sql.query<{ pending: string; quantity: string }>(
      `SELECT count(*)::text AS pending, coalesce(sum(quantity), 0)::text AS quantity FROM reservations
       WHERE product_id = $1 AND store_id = $2 AND status = 'PENDING'`,
      [key.productId, key.storeId],
    );
    expect(counts).toEqual({ pending: '10', quantity: '10' });
    const events = await harness.platform.store.readStream(`stock-${key.productId}:${key.storeId}`);
    expect(events.filter((event) => event.type === 'StockReserved')).toHaveLength(10);
  });

  it('concurrent stock changes with the same expectedVersion: one wins, the others get CONCURRENCY_CONFLICT', async () => {
    const key = await productAndStore(harness, 'expected');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } });
    const responses = await Promise.all(Array.from({ length: 8 }, () => harness.request(ADD_STOCK, { input: { ...key, quantity: 1, expectedVersion: 1 } })));
    const winners = responses.filter((response) => !response.errors);
    expect(winners).toHaveLength(1);
    for (const response of responses.filter((candidate) => candidate.errors)) {
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'CONCURRENCY_CONFLICT', currentVersion: 2 });
    }
    expect((await ok(harness, STOCK_LEVEL, key)).stockLevel).toMatchObject({ total: 2, version: 2 });
  });
});
