import fc from 'fast-check';
import {
  MAX_QUANTITY,
  available,
  expiredReservations,
  pendingReservations,
  type StockCommand,
  type StockState,
} from '../../../subgraphs/inventory/domain/index.js';

/**
 * Random command sequences for one stock level, as fast-check values. A step does not hold a
 * command but the choices that make one against the state it meets (a reservation "the 2nd
 * pending one", a quantity "just over what is available"), so sequences stay meaningful while
 * fast-check shrinks them: dropping a step re-targets the later ones instead of turning them into
 * nonsense.
 */

/** A reservation to name, resolved when the step runs. */
export type ReservationChoice =
  | { readonly kind: 'pending'; readonly index: number }
  | { readonly kind: 'known'; readonly index: number }
  | { readonly kind: 'unknown'; readonly index: number };

/** A quantity to ask for, resolved against what is available when the step runs. */
export type QuantityChoice =
  { readonly kind: 'fits'; readonly index: number } | { readonly kind: 'over'; readonly by: number } | { readonly kind: 'invalid'; readonly value: number };

export type StockStep = { readonly advanceSeconds: number } & (
  | { readonly type: 'AddStock'; readonly quantity: number | { readonly kind: 'toCeiling'; readonly by: number } }
  | { readonly type: 'RemoveStock'; readonly quantity: QuantityChoice }
  | {
      readonly type: 'ReserveStock';
      readonly reservation: ReservationChoice | { readonly kind: 'new' };
      readonly quantity: QuantityChoice;
      readonly customer: number;
      readonly ttlSeconds: number;
    }
  | { readonly type: 'ConfirmReservation'; readonly reservation: ReservationChoice }
  | { readonly type: 'ReleaseReservation'; readonly reservation: ReservationChoice }
  | { readonly type: 'ExpireReservation'; readonly reservation: ReservationChoice | { readonly kind: 'due'; readonly index: number } }
  | { readonly type: 'SetLowStockThreshold'; readonly threshold: number }
);

const index = fc.nat({ max: 1_000 });

/** Mostly a pending reservation, sometimes a settled one, now and then an id never used. */
const reservationChoice: fc.Arbitrary<ReservationChoice> = fc.oneof(
  { weight: 6, arbitrary: index.map((i) => ({ kind: 'pending', index: i }) as const) },
  { weight: 3, arbitrary: index.map((i) => ({ kind: 'known', index: i }) as const) },
  { weight: 1, arbitrary: fc.nat({ max: 5 }).map((i) => ({ kind: 'unknown', index: i }) as const) },
);

/** Often within what is available, often just too much, sometimes not a quantity at all. */
const quantityChoice: fc.Arbitrary<QuantityChoice> = fc.oneof(
  { weight: 13, arbitrary: fc.nat({ max: 10_000 }).map((i) => ({ kind: 'fits', index: i }) as const) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }).map((by) => ({ kind: 'over', by }) as const) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, MAX_QUANTITY + 1).map((value) => ({ kind: 'invalid', value }) as const) },
);

const step: fc.Arbitrary<StockStep> = fc
  .tuple(
    // Now and then a long pause, so reservations run out.
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 120 }) }, { weight: 1, arbitrary: fc.integer({ min: 121, max: 3_600 }) }),
    fc.oneof(
      fc.record({
        type: fc.constant('AddStock' as const),
        quantity: fc.oneof(
          { weight: 18, arbitrary: fc.integer({ min: 1, max: 50 }) },
          { weight: 1, arbitrary: fc.constantFrom(0, -3, 1.5) },
          { weight: 1, arbitrary: fc.integer({ min: -1, max: 1 }).map((by) => ({ kind: 'toCeiling', by }) as const) },
        ),
      }),
      fc.record({ type: fc.constant('RemoveStock' as const), quantity: quantityChoice }),
      fc.record({
        type: fc.constant('ReserveStock' as const),
        reservation: fc.oneof({ weight: 9, arbitrary: fc.constant({ kind: 'new' } as const) }, { weight: 1, arbitrary: reservationChoice }),
        quantity: quantityChoice,
        customer: fc.nat({ max: 9 }),
        ttlSeconds: fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 1, max: 600 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 86_401) }),
      }),
      fc.record({ type: fc.constant('ConfirmReservation' as const), reservation: reservationChoice }),
      fc.record({ type: fc.constant('ReleaseReservation' as const), reservation: reservationChoice }),
      fc.record({
        type: fc.constant('ExpireReservation' as const),
        reservation: fc.oneof({ weight: 7, arbitrary: index.map((i) => ({ kind: 'due', index: i }) as const) }, { weight: 3, arbitrary: reservationChoice }),
      }),
      fc.record({
        type: fc.constant('SetLowStockThreshold' as const),
        threshold: fc.oneof({ weight: 19, arbitrary: fc.nat({ max: 40 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1_000_001) }),
      }),
    ),
  )
  .map(([advanceSeconds, rest]) => ({ advanceSeconds, ...rest }));

/** Sequences of up to `maxLength` stock steps. */
export const stockSteps = (maxLength: number): fc.Arbitrary<StockStep[]> => fc.array(step, { maxLength, size: 'max' });

const at = <T>(items: readonly T[], i: number): T | undefined => items[i % Math.max(1, items.length)];

/**
 * Turns steps into commands for stock level `key`, one at a time against the state each one
 * meets. Time only moves forward, from `startMs`.
 */
export class StockScript {
  private clockMs: number;
  private nextId = 0;

  constructor(
    private readonly key: { readonly productId: string; readonly storeId: string },
    startMs: number,
  ) {
    this.clockMs = startMs;
  }

  /** The script's time: that of the last step's command. */
  clock(): Date {
    return new Date(this.clockMs);
  }

  commandFor(step: StockStep, state: StockState): StockCommand {
    this.clockMs += step.advanceSeconds * 1000;
    const now = new Date(this.clockMs).toISOString();
    const key = this.key;
    switch (step.type) {
      case 'AddStock': {
        const quantity = typeof step.quantity === 'number' ? step.quantity : MAX_QUANTITY - state.total + step.quantity.by;
        return { type: 'AddStock', ...key, quantity };
      }
      case 'RemoveStock':
        return { type: 'RemoveStock', ...key, quantity: quantityOf(step.quantity, state), reason: 'cycle count' };
      case 'ReserveStock':
        return {
          type: 'ReserveStock',
          ...key,
          reservationId: step.reservation.kind === 'new' ? `r${this.nextId++}` : reservationOf(step.reservation, state),
          quantity: quantityOf(step.quantity, state),
          customerId: `c${step.customer}`,
          ttlSeconds: step.ttlSeconds,
          now,
        };
      case 'ConfirmReservation':
        return { type: 'ConfirmReservation', ...key, reservationId: reservationOf(step.reservation, state), now };
      case 'ReleaseReservation':
        return { type: 'ReleaseReservation', ...key, reservationId: reservationOf(step.reservation, state) };
      case 'ExpireReservation': {
        const choice = step.reservation;
        const due = choice.kind === 'due' ? at(expiredReservations(state, now), choice.index) : undefined;
        const reservationId = due?.reservationId ?? reservationOf(choice.kind === 'due' ? { kind: 'pending', index: choice.index } : choice, state);
        return { type: 'ExpireReservation', ...key, reservationId, now };
      }
      case 'SetLowStockThreshold':
        return { type: 'SetLowStockThreshold', ...key, threshold: step.threshold };
    }
  }
}

function quantityOf(choice: QuantityChoice, state: StockState): number {
  const free = available(state);
  switch (choice.kind) {
    case 'fits':
      return 1 + (choice.index % Math.max(1, free));
    case 'over':
      return free + choice.by;
    case 'invalid':
      return choice.value;
  }
}

function reservationOf(choice: ReservationChoice, state: StockState): string {
  const unknown = `ghost-${choice.index}`;
  if (choice.kind === 'pending') return at(pendingReservations(state), choice.index)?.reservationId ?? unknown;
  if (choice.kind === 'known') return at(Object.keys(state.reservations), choice.index) ?? unknown;
  return unknown;
}
