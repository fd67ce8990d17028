import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import {
  ADD_STOCK,
  CONFIRM_RESERVATION,
  REGISTER_PRODUCT,
  REGISTER_STORE,
  RELEASE_RESERVATION,
  REMOVE_STOCK,
  RESERVE_STOCK,
  SET_THRESHOLD,
  eventCount,
  fails,
  ok,
  productAndStore,
  snapshot,
  uid,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;
let key: { productId: string; storeId: string };
let reservationId: string;

beforeAll(async () => {
  harness = await startInventoryHarness();
  key = await productAndStore(harness, 'errors');
  await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } });
  reservationId = uid('r');
  await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 2, customerId: 'cust', reservationId } });
});

afterAll(async () => {
  await harness?.close();
});

/** Snapshot of every table before each test: a refused command must leave all of them as they were. */
let before: Record<string, unknown[]>;
beforeEach(async () => {
  before = await snapshot(harness);
});

async function refused(code: string, query: string, input: Record<string, unknown>) {
  const error = await fails(harness, code, query, { input });
  expect(await snapshot(harness)).toEqual(before);
  return error;
}

describe('refused commands change nothing', () => {
  it('zero and negative quantities are BAD_USER_INPUT for every quantity-taking command', async () => {
    for (const quantity of [0, -1, -1000]) {
      const a = await refused('BAD_USER_INPUT', ADD_STOCK, { ...key, quantity });
      expect(a.extensions?.field).toBe('quantity');
      await refused('BAD_USER_INPUT', REMOVE_STOCK, { ...key, quantity, reason: 'x' });
      await refused('BAD_USER_INPUT', RESERVE_STOCK, { ...key, quantity, customerId: 'cust' });
    }
    const threshold = await refused('BAD_USER_INPUT', SET_THRESHOLD, { ...key, threshold: -1 });
    expect(threshold.extensions?.field).toBe('threshold');
    await refused('BAD_USER_INPUT', RESERVE_STOCK, { ...key, quantity: 1, customerId: 'cust', ttlSeconds: 0 });
    await refused('BAD_USER_INPUT', RESERVE_STOCK, { ...key, quantity: 1, customerId: 'cust', ttlSeconds: 86_401 });
  });

  it('a non-integer quantity is rejected by GraphQL validation before anything runs', async () => {
    const response = await harness.request(ADD_STOCK, { input: { ...key, quantity: 1.5 } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await snapshot(harness)).toEqual(before);
  });

  it('unknown products, stores and reservations are NOT_FOUND', async () => {
    const product = await refused('NOT_FOUND', ADD_STOCK, { productId: 'nope', storeId: key.storeId, quantity: 1 });
    expect(product.message).toMatch(/product nope/);
    expect(product.extensions?.id).toBe('nope');
    const store = await refused('NOT_FOUND', RESERVE_STOCK, { productId: key.productId, storeId: 'nowhere', quantity: 1, customerId: 'c' });
    expect(store.message).toMatch(/store nowhere/);
    await refused('NOT_FOUND', SET_THRESHOLD, { productId: 'nope', storeId: 'nowhere', threshold: 1 });
    await refused('NOT_FOUND', REMOVE_STOCK, { productId: 'nope', storeId: key.storeId, quantity: 1, reason: 'x' });
    const confirm = await refused('NOT_FOUND', CONFIRM_RESERVATION, { reservationId: 'missing' });
    expect(confirm.message).toMatch(/reservation missing/);
    await refused('NOT_FOUND', RELEASE_RESERVATION, { reservationId: 'missing' });
  });

  it('a wrong expectedVersion is a CONCURRENCY_CONFLICT that reports the current version', async () => {
    const conflict = await refused('CONCURRENCY_CONFLICT', ADD_STOCK, { ...key, quantity: 1, expectedVersion: 1 });
    expect(conflict.extensions?.currentVersion).toBe(2);
    expect(conflict.extensions?.streamId).toBe(`stock-${key.productId}:${key.storeId}`);
    const ahead = await refused('CONCURRENCY_CONFLICT', RELEASE_RESERVATION, { reservationId, expectedVersion: 7 });
    expect(ahead.extensions?.currentVersion).toBe(2);
    await refused('BAD_USER_INPUT', ADD_STOCK, { ...key, quantity: 1, expectedVersion: -1 });
  });

  it('more than is available is INSUFFICIENT_STOCK with the available and requested quantities', async () => {
    const remove = await refused('INSUFFICIENT_STOCK', REMOVE_STOCK, { ...key, quantity: 9, reason: 'x' });
    expect(remove.extensions).toMatchObject({ available: 8, requested: 9 });
    const reserve = await refused('INSUFFICIENT_STOCK', RESERVE_STOCK, { ...key, quantity: 9, customerId: 'c' });
    expect(reserve.extensions).toMatchObject({ available: 8, requested: 9 });
  });

  it('oversized strings are BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['sku', REGISTER_PRODUCT, { sku: 'S'.repeat(65), name: 'n' }],
      ['name', REGISTER_PRODUCT, { sku: uid('SKU'), name: 'n'.repeat(201) }],
      ['description', REGISTER_PRODUCT, { sku: uid('SKU'), name: 'n', description: 'd'.repeat(2001) }],
      ['productId', REGISTER_PRODUCT, { id: 'i'.repeat(101), sku: uid('SKU'), name: 'n' }],
      ['name', REGISTER_STORE, { name: 'n'.repeat(201) }],
      ['location', REGISTER_STORE, { name: 'n', location: 'l'.repeat(201) }],
      ['reason', REMOVE_STOCK, { ...key, quantity: 1, reason: 'r'.repeat(201) }],
      ['customerId', RESERVE_STOCK, { ...key, quantity: 1, customerId: 'c'.repeat(101) }],
      ['reservationId', RESERVE_STOCK, { ...key, quantity: 1, customerId: 'c', reservationId: 'r'.repeat(101) }],
      ['idempotencyKey', ADD_STOCK, { ...key, quantity: 1, idempotencyKey: 'k'.repeat(201) }],
    ];
    for (const [field, mutation, input] of cases) {
      const error = await refused('BAD_USER_INPUT', mutation, input);
      expect(error.extensions?.field, `${field}: ${error.message}`).toBe(field);
    }
  });

  it('blank names, malformed SKUs and ids are BAD_USER_INPUT', async () => {
    expect((await refused('BAD_USER_INPUT', REGISTER_PRODUCT, { sku: uid('SKU'), name: '   ' })).extensions?.field).toBe('name');
    expect((await refused('BAD_USER_INPUT', REGISTER_PRODUCT, { sku: 'has space', name: 'n' })).extensions?.field).toBe('sku');
    expect((await refused('BAD_USER_INPUT', REGISTER_PRODUCT, { id: 'a:b', sku: uid('SKU'), name: 'n' })).extensions?.field).toBe('productId');
    expect((await refused('BAD_USER_INPUT', REMOVE_STOCK, { ...key, quantity: 1, reason: ' ' })).extensions?.field).toBe('reason');
  });

  it('a duplicate SKU is BAD_USER_INPUT and leaves no event behind', async () => {
    const sku = uid('DUP').toUpperCase();
    await ok(harness, REGISTER_PRODUCT, { input: { sku, name: 'first' } });
    before = await snapshot(harness);
    const error = await refused('BAD_USER_INPUT', REGISTER_PRODUCT, { sku, name: 'second' });
    expect(error.extensions?.field).toBe('sku');
    expect(error.message).toMatch(sku);
  });

  it('registering an existing product or store id again is BAD_USER_INPUT', async () => {
    await refused('BAD_USER_INPUT', REGISTER_PRODUCT, { id: key.productId, sku: uid('OTHER'), name: 'again' });
    await refused('BAD_USER_INPUT', REGISTER_STORE, { id: key.storeId, name: 'again' });
  });

  it('a reservation that is no longer pending cannot be confirmed or released again', async () => {
    const id = uid('r');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'c', reservationId: id } });
    await ok(harness, RELEASE_RESERVATION, { input: { reservationId: id } });
    before = await snapshot(harness);
    expect((await refused('BAD_USER_INPUT', CONFIRM_RESERVATION, { reservationId: id })).message).toMatch(/RELEASED/);
    await refused('BAD_USER_INPUT', RELEASE_RESERVATION, { reservationId: id });
    // A reservation id belongs to one stock level.
    const other = await productAndStore(harness, 'other');
    await ok(harness, ADD_STOCK, { input: { ...other, quantity: 5 } });
    before = await snapshot(harness);
    await refused('BAD_USER_INPUT', RESERVE_STOCK, { ...other, quantity: 1, customerId: 'c', reservationId: id });
  });

  it('bad page arguments are BAD_USER_INPUT', async () => {
    const products = `query($first: Int, $after: String) { products(first: $first, after: $after) { edges { cursor } } }`;
    await fails(harness, 'BAD_USER_INPUT', products, { first: 501 });
    await fails(harness, 'BAD_USER_INPUT', products, { first: -1 });
    await fails(harness, 'BAD_USER_INPUT', products, { after: 'not a cursor' });
    const at = `query($at: DateTime!) { stockLevelAt(productId: "p", storeId: "s", at: $at) { total } }`;
    await fails(harness, 'BAD_USER_INPUT', at, { at: 'yesterday' });
  });
});

describe('idempotency keys', () => {
  it('the same key with the same command replays the first result and appends nothing', async () => {
    const idempotencyKey = uid('key');
    const first = await ok(harness, ADD_STOCK, { input: { ...key, quantity: 3, idempotencyKey } });
    expect(first.addStock.replayed).toBe(false);
    const events = await eventCount(harness);
    const second = await ok(harness, ADD_STOCK, { input: { ...key, quantity: 3, idempotencyKey } });
    expect(second.addStock.replayed).toBe(true);
    expect(second.addStock.events).toEqual(first.addStock.events);
    expect(second.addStock.stockLevel.total).toBe(first.addStock.stockLevel.total);
    expect(await eventCount(harness)).toBe(events);
  });

  it('a retried reservation with its key replays, even though the service chose the id and the time', async () => {
    const idempotencyKey = uid('key');
    const input = { ...key, quantity: 1, customerId: 'retrying', ttlSeconds: 300, idempotencyKey };
    const first = (await ok(harness, RESERVE_STOCK, { input })).reserveStock;
    const events = await eventCount(harness);
    const second = (await ok(harness, RESERVE_STOCK, { input })).reserveStock;
    expect(second.replayed).toBe(true);
    expect(second.reservation).toEqual(first.reservation);
    expect(second.events).toEqual(first.events);
    expect(second.stockLevel.reserved).toBe(first.stockLevel.reserved);
    expect(await eventCount(harness)).toBe(events);

    const confirmKey = uid('key');
    const confirmed = (await ok(harness, CONFIRM_RESERVATION, { input: { reservationId: first.reservation.id, idempotencyKey: confirmKey } }))
      .confirmReservation;
    const confirmedAgain = (await ok(harness, CONFIRM_RESERVATION, { input: { reservationId: first.reservation.id, idempotencyKey: confirmKey } }))
      .confirmReservation;
    expect(confirmedAgain.replayed).toBe(true);
    expect(confirmedAgain.events).toEqual(confirmed.events);
    expect(confirmedAgain.reservation.status).toBe('CONFIRMED');
    expect(await eventCount(harness)).toBe(events + 1);
  });

  it('a retried registration without a client id replays the product it created', async () => {
    const idempotencyKey = uid('key');
    const input = { sku: uid('IDEM').toUpperCase(), name: 'Retried', idempotencyKey };
    const first = (await ok(harness, REGISTER_PRODUCT, { input })).registerProduct;
    const second = (await ok(harness, REGISTER_PRODUCT, { input })).registerProduct;
    expect(second.replayed).toBe(true);
    expect(second.product).toEqual(first.product);
    const storeInput = { name: 'Retried store', idempotencyKey: uid('key') };
    const store = (await ok(harness, REGISTER_STORE, { input: storeInput })).registerStore;
    const storeAgain = (await ok(harness, REGISTER_STORE, { input: storeInput })).registerStore;
    expect(storeAgain.replayed).toBe(true);
    expect(storeAgain.store).toEqual(store.store);
  });

  it('reusing a key for a different command is IDEMPOTENCY_KEY_REUSED', async () => {
    const idempotencyKey = uid('key');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 2, idempotencyKey } });
    before = await snapshot(harness);
    const error = await refused('IDEMPOTENCY_KEY_REUSED', ADD_STOCK, { ...key, quantity: 4, idempotencyKey });
    expect(error.extensions?.idempotencyKey).toBe(idempotencyKey);
    await refused('IDEMPOTENCY_KEY_REUSED', REMOVE_STOCK, { ...key, quantity: 2, reason: 'x', idempotencyKey });
    await refused('IDEMPOTENCY_KEY_REUSED', REGISTER_STORE, { name: 'other', idempotencyKey });
  });
});
