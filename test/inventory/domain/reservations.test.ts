import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import {
  available,
  expiredReservations,
  pendingReservations,
  stockDecider,
  type StockCommand,
  type StockState,
} from '../../../subgraphs/inventory/domain/index.js';
import { KEY, T0, at, ev, expectRejection, stockAfter } from './helpers.js';

const decide = (command: StockCommand, state: StockState) => stockDecider.decide(command, state);

const reserve = (overrides: Partial<Extract<StockCommand, { type: 'ReserveStock' }>> = {}): StockCommand => ({
  type: 'ReserveStock',
  ...KEY,
  reservationId: 'r1',
  quantity: 3,
  customerId: 'c1',
  ttlSeconds: 600,
  now: T0,
  ...overrides,
});
const confirm = (reservationId: string, now = T0): StockCommand => ({
  type: 'ConfirmReservation',
  ...KEY,
  reservationId,
  now,
});
const release = (reservationId: string): StockCommand => ({ type: 'ReleaseReservation', ...KEY, reservationId });
const expire = (reservationId: string, now: string): StockCommand => ({
  type: 'ExpireReservation',
  ...KEY,
  reservationId,
  now,
});

const stocked = stockAfter(ev.added(10));
/** 10 in stock, r1 holds 3 until T0 + 600 s. */
const held = stockAfter(ev.added(10), ev.reserved('r1', 3, at(600)));

describe('ReserveStock', () => {
  it('reserves stock until now plus the ttl', () => {
    expect(decide(reserve(), stocked)).toEqual([
      {
        type: 'StockReserved',
        data: { ...KEY, reservationId: 'r1', quantity: 3, customerId: 'c1', expiresAt: '2024-03-01T12:10:00.000Z' },
      },
    ]);
  });

  it('normalises a non-UTC now to an ISO UTC expiry', () => {
    const [event] = decide(reserve({ now: '2024-03-01T13:00:00+01:00', ttlSeconds: 1 }), stocked);
    expect(event?.type === 'StockReserved' && event.data.expiresAt).toBe('2024-03-01T12:00:01.000Z');
  });

  it('holds the reserved quantity back from what is available', () => {
    expect(held).toMatchObject({ total: 10, reserved: 3 });
    expect(available(held)).toBe(7);
    expect(held.reservations['r1']).toEqual({
      quantity: 3,
      customerId: 'c1',
      expiresAt: at(600),
      status: 'PENDING',
    });
  });

  it('reserves exactly what is available', () => {
    expect(decide(reserve({ reservationId: 'r2', quantity: 7 }), held)).toHaveLength(1);
  });

  it('rejects a reservation larger than what is available', () => {
    expectRejection(() => decide(reserve({ reservationId: 'r2', quantity: 8 }), held), ErrorCode.INSUFFICIENT_STOCK, {
      extensions: { available: 7, requested: 8 },
    });
  });

  it('rejects a reservation id that was already used, whatever its status', () => {
    expectRejection(() => decide(reserve({ quantity: 1 }), held), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'reservationId' },
      message: /r1/,
    });
    const released = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3));
    expectRejection(() => decide(reserve({ quantity: 1 }), released), ErrorCode.BAD_USER_INPUT);
  });

  it('rejects a ttl that is not an integer from 1 to 86400 seconds', () => {
    for (const ttlSeconds of [0, -5, 1.5, 86_401]) {
      expectRejection(() => decide(reserve({ ttlSeconds }), stocked), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'ttlSeconds' },
      });
    }
    expect(decide(reserve({ ttlSeconds: 1 }), stocked)).toHaveLength(1);
    expect(decide(reserve({ ttlSeconds: 86_400 }), stocked)).toHaveLength(1);
  });

  it('rejects an invalid quantity, customer id, reservation id or now', () => {
    expectRejection(() => decide(reserve({ quantity: 0 }), stocked), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'quantity' },
    });
    expectRejection(() => decide(reserve({ customerId: '' }), stocked), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'customerId' },
    });
    expectRejection(() => decide(reserve({ customerId: 'c'.repeat(101) }), stocked), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'customerId' },
    });
    expectRejection(() => decide(reserve({ reservationId: '' }), stocked), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'reservationId' },
    });
    expectRejection(() => decide(reserve({ now: 'yesterday' }), stocked), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'now' },
    });
  });
});

describe('ConfirmReservation', () => {
  it('confirms a pending reservation as a sale', () => {
    expect(decide(confirm('r1', at(599)), held)).toEqual([{ type: 'ReservationConfirmed', data: { ...KEY, reservationId: 'r1', quantity: 3 } }]);
  });

  it('drops both total and reserved by the sold quantity', () => {
    const sold = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.confirmed('r1', 3));
    expect(sold).toMatchObject({ total: 7, reserved: 0 });
    expect(available(sold)).toBe(7);
    expect(sold.reservations['r1']?.status).toBe('CONFIRMED');
  });

  it('rejects an unknown reservation as not found', () => {
    expectRejection(() => decide(confirm('nope'), held), ErrorCode.NOT_FOUND, {
      extensions: { id: 'nope' },
    });
  });

  it('rejects confirming a reservation that is no longer pending, naming its status', () => {
    const confirmed = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.confirmed('r1', 3));
    expectRejection(() => decide(confirm('r1'), confirmed), ErrorCode.BAD_USER_INPUT, { message: /CONFIRMED/ });
    const released = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3));
    expectRejection(() => decide(confirm('r1'), released), ErrorCode.BAD_USER_INPUT, { message: /RELEASED/ });
    const expired = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3, 'EXPIRED'));
    expectRejection(() => decide(confirm('r1'), expired), ErrorCode.BAD_USER_INPUT, { message: /EXPIRED/ });
  });

  it('rejects confirming a pending reservation whose expiry has passed', () => {
    expectRejection(() => decide(confirm('r1', at(600)), held), ErrorCode.BAD_USER_INPUT, {
      message: 'reservation r1 has expired',
      extensions: { field: 'reservationId' },
    });
    expectRejection(() => decide(confirm('r1', at(3600)), held), ErrorCode.BAD_USER_INPUT, {
      message: /has expired/,
    });
  });

  it('rejects an invalid now', () => {
    expectRejection(() => decide(confirm('r1', 'not a time'), held), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'now' },
    });
  });
});

describe('ReleaseReservation', () => {
  it('releases a pending reservation back to available stock', () => {
    expect(decide(release('r1'), held)).toEqual([{ type: 'ReservationReleased', data: { ...KEY, reservationId: 'r1', quantity: 3, reason: 'RELEASED' } }]);
    const after = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3));
    expect(after).toMatchObject({ total: 10, reserved: 0 });
    expect(after.reservations['r1']?.status).toBe('RELEASED');
  });

  it('releases a pending reservation even after its expiry', () => {
    expect(decide(release('r1'), held)[0]?.type).toBe('ReservationReleased');
  });

  it('rejects an unknown reservation as not found', () => {
    expectRejection(() => decide(release('nope'), held), ErrorCode.NOT_FOUND);
  });

  it('rejects releasing a reservation that is no longer pending', () => {
    const released = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3));
    expectRejection(() => decide(release('r1'), released), ErrorCode.BAD_USER_INPUT, { message: /RELEASED/ });
    const confirmed = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.confirmed('r1', 3));
    expectRejection(() => decide(release('r1'), confirmed), ErrorCode.BAD_USER_INPUT, { message: /CONFIRMED/ });
  });
});

describe('ExpireReservation', () => {
  it('releases a pending reservation whose expiry has come, with reason EXPIRED', () => {
    expect(decide(expire('r1', at(600)), held)).toEqual([
      { type: 'ReservationReleased', data: { ...KEY, reservationId: 'r1', quantity: 3, reason: 'EXPIRED' } },
    ]);
    const after = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3, 'EXPIRED'));
    expect(after).toMatchObject({ total: 10, reserved: 0 });
    expect(after.reservations['r1']?.status).toBe('EXPIRED');
  });

  it('does nothing before the reservation expires', () => {
    expect(decide(expire('r1', at(599)), held)).toEqual([]);
  });

  it('does nothing for an unknown, confirmed or released reservation', () => {
    expect(decide(expire('nope', at(9999)), held)).toEqual([]);
    const confirmed = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.confirmed('r1', 3));
    expect(decide(expire('r1', at(9999)), confirmed)).toEqual([]);
    const released = stockAfter(ev.added(10), ev.reserved('r1', 3), ev.released('r1', 3));
    expect(decide(expire('r1', at(9999)), released)).toEqual([]);
  });

  it('is idempotent: expiring twice releases once', () => {
    const first = decide(expire('r1', at(700)), held);
    expect(first).toHaveLength(1);
    const afterFirst = foldEvents(stockDecider, first, held);
    for (const now of [at(700), at(701), at(100_000)]) {
      expect(decide(expire('r1', now), afterFirst)).toEqual([]);
    }
    expect(afterFirst).toMatchObject({ total: 10, reserved: 0 });
  });

  it('rejects an invalid now', () => {
    expectRejection(() => decide(expire('r1', ''), held), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'now' } });
  });
});

describe('reservation queries', () => {
  const state = stockAfter(
    ev.added(20),
    ev.reserved('late', 1, at(900)),
    ev.reserved('soon', 2, at(60)),
    ev.reserved('sold', 3, at(300)),
    ev.confirmed('sold', 3),
    ev.reserved('mid', 4, at(300)),
  );

  it('lists pending reservations, soonest expiry first', () => {
    expect(pendingReservations(state).map((r) => r.reservationId)).toEqual(['soon', 'mid', 'late']);
    expect(pendingReservations(state)[0]).toEqual({
      reservationId: 'soon',
      quantity: 2,
      customerId: 'c1',
      expiresAt: at(60),
      status: 'PENDING',
    });
  });

  it('lists the pending reservations that have expired at a given time', () => {
    expect(expiredReservations(state, at(300)).map((r) => r.reservationId)).toEqual(['soon', 'mid']);
    expect(expiredReservations(state, at(0))).toEqual([]);
  });

  it('keeps reserved equal to the sum of pending quantities', () => {
    expect(state.reserved).toBe(pendingReservations(state).reduce((sum, r) => sum + r.quantity, 0));
  });
});
