import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { ADD_STOCK, CONFIRM_RESERVATION, RESERVATION_FIELDS, RESERVE_STOCK, STOCK_LEVEL, fails, ok, productAndStore, uid, waitFor } from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;

beforeAll(async () => {
  harness = await startInventoryHarness({ expiryIntervalMs: 100 });
});

afterAll(async () => {
  await harness?.close();
});

const RESERVATION = `query($id: ID!) { reservation(id: $id) { ${RESERVATION_FIELDS} } }`;

describe('reservation expiry', () => {
  it('an unconfirmed reservation expires by itself and its units become available again', async () => {
    const key = await productAndStore(harness, 'expiry');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } });
    const shortLived = uid('r_short');
    const longLived = uid('r_long');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 2, customerId: 'c1', ttlSeconds: 1, reservationId: shortLived } });
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'c2', ttlSeconds: 3600, reservationId: longLived } });
    expect((await ok(harness, STOCK_LEVEL, key)).stockLevel).toMatchObject({ reserved: 3, available: 2 });

    await waitFor(async () => (await ok(harness, RESERVATION, { id: shortLived })).reservation.status === 'EXPIRED', 'the reservation to expire');
    const level = (await ok(harness, STOCK_LEVEL, key)).stockLevel;
    expect(level).toMatchObject({ total: 5, reserved: 1, available: 4 });
    expect((await ok(harness, RESERVATION, { id: longLived })).reservation.status).toBe('PENDING');

    const events = await harness.platform.store.readStream(`stock-${key.productId}:${key.storeId}`);
    const released = events.filter((event) => event.type === 'ReservationReleased');
    expect(released).toHaveLength(1);
    expect(released[0]!.data).toEqual({ ...key, reservationId: shortLived, quantity: 2, reason: 'EXPIRED' });
    expect(released[0]!.metadata.actor).toBe('system:reservation-expirer');

    // Expired means gone: it can no longer be confirmed, and the expirer releases it only once.
    const error = await fails(harness, 'BAD_USER_INPUT', CONFIRM_RESERVATION, { input: { reservationId: shortLived } });
    expect(error.message).toMatch(/EXPIRED/);
    // A sentinel reservation on the same level expires in a later sweep: by then a second release
    // of the first one would be in the stream, before the sentinel's.
    const sentinel = uid('r_sentinel');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'c3', ttlSeconds: 1, reservationId: sentinel } });
    await waitFor(async () => (await ok(harness, RESERVATION, { id: sentinel })).reservation.status === 'EXPIRED', 'the sentinel reservation to expire');
    const again = await harness.platform.store.readStream(`stock-${key.productId}:${key.storeId}`);
    expect(again.filter((event) => event.type === 'ReservationReleased').map((event) => (event.data as { reservationId: string }).reservationId)).toEqual([
      shortLived,
      sentinel,
    ]);
  });

  it('once its time is up a reservation can no longer be confirmed, swept or not', async () => {
    const key = await productAndStore(harness, 'late');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } });
    const reservationId = uid('r');
    const { reserveStock } = await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 1, customerId: 'c', ttlSeconds: 1, reservationId } });
    await waitFor(() => Date.now() > Date.parse(reserveStock.reservation.expiresAt) + 5, 'the reservation time to pass');
    const error = await fails(harness, 'BAD_USER_INPUT', CONFIRM_RESERVATION, { input: { reservationId } });
    expect(error.message).toMatch(/expired|EXPIRED/);
    await waitFor(async () => (await ok(harness, RESERVATION, { id: reservationId })).reservation.status === 'EXPIRED', 'the sweep');
    const reservation = (await ok(harness, RESERVATION, { id: reservationId })).reservation;
    expect(Date.parse(reservation.updatedAt)).toBeGreaterThanOrEqual(Date.parse(reservation.expiresAt));
    expect((await ok(harness, STOCK_LEVEL, key)).stockLevel).toMatchObject({ total: 5, reserved: 0 });
  });
});
