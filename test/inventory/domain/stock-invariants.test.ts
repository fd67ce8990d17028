import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError, ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import {
  MAX_QUANTITY,
  available,
  expiredReservations,
  pendingReservations,
  stockDecider,
  type StockCommand,
  type StockEvent,
  type StockState,
} from '../../../subgraphs/inventory/domain/index.js';
import { KEY, T0 } from './helpers.js';

/** mulberry32: a tiny seeded PRNG, so every failure reproduces from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMAND_TYPES = [
  'AddStock',
  'RemoveStock',
  'ReserveStock',
  'ConfirmReservation',
  'ReleaseReservation',
  'ExpireReservation',
  'SetLowStockThreshold',
] as const satisfies readonly StockCommand['type'][];

/** Generates commands that are often valid, often just over a limit, and sometimes nonsense. */
function commandGenerator(random: () => number) {
  const int = (max: number) => Math.floor(random() * (max + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let clockMs = Date.parse(T0);
  let nextId = 0;

  const quantityNear = (state: StockState): number => {
    const free = available(state);
    const roll = random();
    if (roll < 0.05) return pick([0, -1, 2.5, MAX_QUANTITY + 1]);
    if (roll < 0.35) return free + 1 + int(3); // just too much
    return 1 + int(Math.max(1, free));
  };

  /** Mostly a pending reservation, sometimes a settled one, now and then an unknown id. */
  const reservationIdFrom = (state: StockState): string => {
    const pending = pendingReservations(state).map((r) => r.reservationId);
    const known = Object.keys(state.reservations);
    const roll = random();
    if (pending.length > 0 && roll < 0.6) return pick(pending);
    if (known.length > 0 && roll < 0.9) return pick(known);
    return `ghost-${int(5)}`;
  };

  return (state: StockState): StockCommand => {
    clockMs += int(120) * 1000; // time only moves forward
    const now = new Date(clockMs).toISOString();
    switch (pick(COMMAND_TYPES)) {
      case 'AddStock':
        return { type: 'AddStock', ...KEY, quantity: random() < 0.05 ? 0 : 1 + int(50) };
      case 'RemoveStock':
        return { type: 'RemoveStock', ...KEY, quantity: quantityNear(state), reason: 'cycle count' };
      case 'ReserveStock':
        return {
          type: 'ReserveStock',
          ...KEY,
          reservationId: random() < 0.1 ? reservationIdFrom(state) : `r${nextId++}`,
          quantity: quantityNear(state),
          customerId: `c${int(9)}`,
          ttlSeconds: random() < 0.05 ? 0 : 1 + int(600),
          now,
        };
      case 'ConfirmReservation':
        return { type: 'ConfirmReservation', ...KEY, reservationId: reservationIdFrom(state), now };
      case 'ReleaseReservation':
        return { type: 'ReleaseReservation', ...KEY, reservationId: reservationIdFrom(state) };
      case 'ExpireReservation': {
        const due = expiredReservations(state, now);
        const reservationId = due.length > 0 && random() < 0.7 ? pick(due).reservationId : reservationIdFrom(state);
        return { type: 'ExpireReservation', ...KEY, reservationId, now };
      }
      case 'SetLowStockThreshold':
        return { type: 'SetLowStockThreshold', ...KEY, threshold: random() < 0.05 ? -1 : int(40) };
    }
  };
}

function assertInvariants(state: StockState): void {
  expect(Number.isSafeInteger(state.total)).toBe(true);
  expect(Number.isSafeInteger(state.reserved)).toBe(true);
  expect(state.reserved).toBeGreaterThanOrEqual(0);
  expect(state.reserved).toBeLessThanOrEqual(state.total);
  expect(state.total).toBeLessThanOrEqual(MAX_QUANTITY);
  expect(available(state)).toBeGreaterThanOrEqual(0);
  const pendingSum = pendingReservations(state).reduce((sum, r) => sum + r.quantity, 0);
  expect(state.reserved).toBe(pendingSum);
}

describe('stock invariants under random command sequences', () => {
  const SEEDS = [1, 2, 3, 42, 1337, 20240301, 0xdecaf, 0xc0ffee];
  const STEPS = 1500;

  it.each(SEEDS)('never breaks 0 ≤ reserved ≤ total (seed %i)', (seed) => {
    const next = commandGenerator(prng(seed));
    const history: StockEvent[] = [];
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    let state = stockDecider.initialState();

    for (let step = 0; step < STEPS; step++) {
      const command = next(state);
      let events: StockEvent[];
      try {
        events = stockDecider.decide(command, state);
      } catch (error) {
        // Only DomainErrors may escape a decider, and a rejection leaves the state untouched.
        expect(error).toBeInstanceOf(DomainError);
        const domainError = error as DomainError;
        if (domainError.code === ErrorCode.INSUFFICIENT_STOCK) {
          expect(domainError.extensions).toEqual({
            available: available(state),
            requested: (command as { quantity: number }).quantity,
          });
          expect((command as { quantity: number }).quantity).toBeGreaterThan(available(state));
        }
        count(`${command.type}:${domainError.code}`);
        continue;
      }
      count(`${command.type}:${events.length === 0 ? 'noop' : 'ok'}`);
      for (const event of events) {
        state = stockDecider.evolve(state, event);
        history.push(event);
        assertInvariants(state);
      }
    }

    // Replaying the recorded history rebuilds the same state.
    expect(foldEvents(stockDecider, history)).toEqual(state);
    // The run exercised every command's success path and the interesting rejections.
    for (const type of COMMAND_TYPES) expect(outcomes.get(`${type}:ok`) ?? 0, `${type}:ok`).toBeGreaterThan(0);
    expect(outcomes.get(`RemoveStock:${ErrorCode.INSUFFICIENT_STOCK}`) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get(`ReserveStock:${ErrorCode.INSUFFICIENT_STOCK}`) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get(`ConfirmReservation:${ErrorCode.BAD_USER_INPUT}`) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('ExpireReservation:noop') ?? 0).toBeGreaterThan(0);
  });

  it('never lets a reservation be both sold and released', () => {
    const next = commandGenerator(prng(7));
    let state = stockDecider.initialState();
    const settled = new Map<string, string>();
    for (let step = 0; step < 3000; step++) {
      let events: StockEvent[] = [];
      try {
        events = stockDecider.decide(next(state), state);
      } catch {
        continue;
      }
      for (const event of events) {
        if (event.type === 'ReservationConfirmed' || event.type === 'ReservationReleased') {
          expect(settled.get(event.data.reservationId)).toBeUndefined();
          settled.set(event.data.reservationId, event.type);
        }
        state = stockDecider.evolve(state, event);
      }
    }
    expect(settled.size).toBeGreaterThan(0);
  });
});
