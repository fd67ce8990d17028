import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import {
  ADD_STOCK,
  CONFIRM_RESERVATION,
  LEVEL_FIELDS,
  PRODUCT_FIELDS,
  REGISTER_PRODUCT,
  REGISTER_STORE,
  RELEASE_RESERVATION,
  REMOVE_STOCK,
  RESERVATION_FIELDS,
  RESERVE_STOCK,
  SET_THRESHOLD,
  STOCK_LEVEL,
  STORE_FIELDS,
  ok,
  productAndStore,
  uid,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;

beforeAll(async () => {
  harness = await startInventoryHarness();
});

afterAll(async () => {
  await harness?.close();
});

const isoInstant = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const decimal = expect.stringMatching(/^\d+$/);

/** The committed stream, read back from the store. */
const streamOf = (streamId: string) => harness.platform.store.readStream(streamId);

describe('inventory mutations over HTTP', () => {
  it('registerProduct returns the committed product and its ProductRegistered event', async () => {
    const id = uid('p');
    const data = await ok(
      harness,
      REGISTER_PRODUCT,
      { input: { id, sku: `SKU-${id}`, name: '  Blue mug  ', description: 'Stoneware, 350 ml' } },
      { correlationId: 'corr-register-product', actor: 'user:alice' },
    );
    const payload = data.registerProduct;
    expect(payload.replayed).toBe(false);
    expect(payload.product).toEqual({
      id,
      sku: `SKU-${id}`,
      name: 'Blue mug',
      description: 'Stoneware, 350 ml',
      version: 1,
      createdAt: isoInstant,
      updatedAt: isoInstant,
      totalAvailable: 0,
    });
    expect(payload.events).toEqual([
      {
        position: decimal,
        streamId: `product-${id}`,
        version: 1,
        type: 'ProductRegistered',
        data: { productId: id, sku: `SKU-${id}`, name: 'Blue mug', description: 'Stoneware, 350 ml' },
        occurredAt: payload.product.createdAt,
        metadata: { correlationId: 'corr-register-product', causationId: null, actor: 'user:alice', idempotencyKey: null },
      },
    ]);
    const stored = await streamOf(`product-${id}`);
    expect(stored.map((event) => event.position)).toEqual([payload.events[0].position]);
    expect(stored[0]!.metadata).toEqual({ correlationId: 'corr-register-product', actor: 'user:alice' });
    const read = await ok(harness, `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`, { id });
    const { totalAvailable: _total, ...committed } = payload.product;
    expect(read.product).toEqual(committed);
  });

  it('registerProduct without an id generates one; a blank description becomes empty', async () => {
    const sku = uid('GEN').toUpperCase();
    const { registerProduct } = await ok(harness, REGISTER_PRODUCT, { input: { sku, name: 'Generated', description: '   ' } });
    expect(registerProduct.product.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(registerProduct.product.description).toBe('');
    expect(registerProduct.events[0].data.description).toBeNull();
    expect(registerProduct.events[0].streamId).toBe(`product-${registerProduct.product.id}`);
  });

  it('registerStore returns the committed store and its StoreRegistered event', async () => {
    const id = uid('s');
    const { registerStore } = await ok(harness, REGISTER_STORE, { input: { id, name: 'Lyon Part-Dieu', location: ' Lyon, FR ' } });
    expect(registerStore.replayed).toBe(false);
    expect(registerStore.store).toEqual({
      id,
      name: 'Lyon Part-Dieu',
      location: 'Lyon, FR',
      version: 1,
      createdAt: isoInstant,
      updatedAt: isoInstant,
    });
    expect(registerStore.events).toEqual([
      expect.objectContaining({
        streamId: `store-${id}`,
        version: 1,
        type: 'StoreRegistered',
        data: { storeId: id, name: 'Lyon Part-Dieu', location: 'Lyon, FR' },
      }),
    ]);
    const read = await ok(harness, `query($id: ID!) { store(id: $id) { ${STORE_FIELDS} } }`, { id });
    expect(read.store).toEqual(registerStore.store);
  });

  it('addStock creates the stock level and returns it with its StockAdded event', async () => {
    const key = await productAndStore(harness, 'add');
    const { addStock } = await ok(harness, ADD_STOCK, { input: { ...key, quantity: 25 } });
    expect(addStock.replayed).toBe(false);
    expect(addStock.stockLevel).toEqual({
      ...key,
      total: 25,
      reserved: 0,
      available: 25,
      lowStockThreshold: 10,
      isLow: false,
      version: 1,
      position: addStock.events[0].position,
      updatedAt: addStock.events[0].occurredAt,
    });
    expect(addStock.events).toEqual([
      expect.objectContaining({
        streamId: `stock-${key.productId}:${key.storeId}`,
        version: 1,
        type: 'StockAdded',
        data: { ...key, quantity: 25 },
      }),
    ]);

    const again = await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5, expectedVersion: 1 } });
    expect(again.addStock.stockLevel).toMatchObject({ total: 30, available: 30, version: 2 });
    const read = await ok(harness, STOCK_LEVEL, key);
    expect(read.stockLevel).toEqual(again.addStock.stockLevel);
    expect((await streamOf(`stock-${key.productId}:${key.storeId}`)).map((event) => event.type)).toEqual(['StockAdded', 'StockAdded']);
  });

  it('removeStock lowers the total and records the trimmed reason', async () => {
    const key = await productAndStore(harness, 'remove');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 20 } });
    const { removeStock } = await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 12, reason: ' damaged in transit ' } });
    expect(removeStock.stockLevel).toMatchObject({ total: 8, reserved: 0, available: 8, isLow: true, version: 2 });
    expect(removeStock.events).toEqual([
      expect.objectContaining({ type: 'StockRemoved', version: 2, data: { ...key, quantity: 12, reason: 'damaged in transit' } }),
    ]);
    expect((await ok(harness, STOCK_LEVEL, key)).stockLevel).toEqual(removeStock.stockLevel);
  });

  it('setLowStockThreshold changes the threshold and isLow', async () => {
    const key = await productAndStore(harness, 'threshold');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 8 } });
    const { setLowStockThreshold } = await ok(harness, SET_THRESHOLD, { input: { ...key, threshold: 3 } });
    expect(setLowStockThreshold.stockLevel).toMatchObject({ total: 8, lowStockThreshold: 3, isLow: false, version: 2 });
    expect(setLowStockThreshold.events).toEqual([expect.objectContaining({ type: 'LowStockThresholdSet', data: { ...key, threshold: 3 } })]);
    expect((await ok(harness, STOCK_LEVEL, key)).stockLevel).toEqual(setLowStockThreshold.stockLevel);
  });

  it('reserveStock holds units for a customer until the reservation expires', async () => {
    const key = await productAndStore(harness, 'reserve');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } });
    const reservationId = uid('r');
    const before = Date.now();
    const { reserveStock } = await ok(harness, RESERVE_STOCK, {
      input: { ...key, quantity: 4, customerId: 'cust_1', ttlSeconds: 600, reservationId },
    });
    expect(reserveStock.replayed).toBe(false);
    expect(reserveStock.stockLevel).toMatchObject({ total: 10, reserved: 4, available: 6, version: 2 });
    expect(reserveStock.reservation).toMatchObject({ id: reservationId, ...key, quantity: 4, customerId: 'cust_1', status: 'PENDING' });
    const expiresIn = Date.parse(reserveStock.reservation.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(595_000);
    expect(expiresIn).toBeLessThan(605_000);
    expect(reserveStock.events).toEqual([
      expect.objectContaining({
        type: 'StockReserved',
        data: { ...key, reservationId, quantity: 4, customerId: 'cust_1', expiresAt: reserveStock.reservation.expiresAt },
      }),
    ]);
    const read = await ok(harness, `query($id: ID!) { reservation(id: $id) { ${RESERVATION_FIELDS} } }`, { id: reservationId });
    expect(read.reservation).toEqual(reserveStock.reservation);

    // Without a reservation id the service chooses one.
    const generated = await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'cust_2' } });
    expect(generated.reserveStock.reservation.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.reserveStock.stockLevel).toMatchObject({ reserved: 5, available: 5 });
  });

  it('confirmReservation turns the reservation into a sale: total and reserved both drop', async () => {
    const key = await productAndStore(harness, 'confirm');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } });
    const reservationId = uid('r');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 3, customerId: 'cust_1', reservationId } });
    const { confirmReservation } = await ok(harness, CONFIRM_RESERVATION, { input: { reservationId, expectedVersion: 2 } });
    expect(confirmReservation.reservation).toMatchObject({ id: reservationId, status: 'CONFIRMED', quantity: 3 });
    expect(confirmReservation.stockLevel).toMatchObject({ total: 7, reserved: 0, available: 7, version: 3 });
    expect(confirmReservation.events).toEqual([
      expect.objectContaining({ type: 'ReservationConfirmed', version: 3, data: { ...key, reservationId, quantity: 3 } }),
    ]);
    const read = await ok(harness, `query($id: ID!) { reservation(id: $id) { ${RESERVATION_FIELDS} } }`, { id: reservationId });
    expect(read.reservation).toEqual(confirmReservation.reservation);
  });

  it('releaseReservation gives the units back', async () => {
    const key = await productAndStore(harness, 'release');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } });
    const reservationId = uid('r');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 6, customerId: 'cust_1', reservationId } });
    const { releaseReservation } = await ok(harness, RELEASE_RESERVATION, { input: { reservationId } });
    expect(releaseReservation.reservation).toMatchObject({ id: reservationId, status: 'RELEASED' });
    expect(releaseReservation.stockLevel).toMatchObject({ total: 10, reserved: 0, available: 10, version: 3 });
    expect(releaseReservation.events).toEqual([
      expect.objectContaining({ type: 'ReservationReleased', data: { ...key, reservationId, quantity: 6, reason: 'RELEASED' } }),
    ]);
    const read = await ok(
      harness,
      `query($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { ${LEVEL_FIELDS} reservations { id status } pending: reservations(status: PENDING) { id } } }`,
      { p: key.productId, s: key.storeId },
    );
    expect(read.stockLevel.reservations).toEqual([{ id: reservationId, status: 'RELEASED' }]);
    expect(read.stockLevel.pending).toEqual([]);
  });

  it('an idempotency key is recorded in the metadata of the events it produced', async () => {
    const key = await productAndStore(harness, 'metadata');
    const { addStock } = await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1, idempotencyKey: uid('key') } });
    expect(addStock.events[0].metadata.idempotencyKey).toMatch(/^key_/);
    expect(addStock.events[0].metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
