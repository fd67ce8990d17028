import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError, ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import {
  MAX_QUANTITY,
  available,
  pendingReservations,
  stockDecider,
  type StockCommand,
  type StockEvent,
  type StockState,
} from '../../../subgraphs/inventory/domain/index.js';
import { PROPERTY_SEED, checkProperty } from '../../support/properties.js';
import { KEY, T0 } from './helpers.js';
import { StockScript, stockSteps, type StockStep } from './stock-scripts.js';

/** Fails the property with `message` (cheaper than `expect` in loops of thousands of steps). */
function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

/** Every movement the events recorded, summed up independently of the decider's state. */
interface Ledger {
  added: number;
  removed: number;
  reserved: number;
  confirmed: number;
  released: number;
}

interface Run {
  readonly history: StockEvent[];
  readonly state: StockState;
}

/** What the decisions of {@link run} came to, by command type and outcome. */
const outcomes = new Map<string, number>();

/**
 * Decides the steps in order from an empty stream, checking after every event that
 * 0 ≤ reserved ≤ total ≤ MAX_QUANTITY, that reserved is the sum of the pending reservations, and
 * that total and reserved are what the ledger of recorded movements says they are.
 */
function run(steps: readonly StockStep[]): Run {
  const script = new StockScript(KEY, Date.parse(T0));
  const history: StockEvent[] = [];
  const ledger: Ledger = { added: 0, removed: 0, reserved: 0, confirmed: 0, released: 0 };
  let state = stockDecider.initialState();
  for (const step of steps) {
    const command = script.commandFor(step, state);
    const before = JSON.stringify(state);
    let events: StockEvent[];
    try {
      events = stockDecider.decide(command, state);
    } catch (error) {
      // Only DomainErrors may escape a decider, and a rejection leaves the state untouched.
      invariant(error instanceof DomainError, () => `${command.type} threw ${String(error)}`);
      invariant(JSON.stringify(state) === before, () => `${command.type} changed the state it refused`);
      if (error.code === ErrorCode.INSUFFICIENT_STOCK) {
        const requested = (command as Extract<StockCommand, { quantity: number }>).quantity;
        expect(error.extensions).toEqual({ available: available(state), requested });
        invariant(requested > available(state), () => `refused ${requested} with ${available(state)} available`);
      }
      count(`${command.type}:${error.code}`);
      continue;
    }
    invariant(JSON.stringify(state) === before, () => `deciding ${command.type} changed the state`);
    count(`${command.type}:${events.length === 0 ? 'noop' : 'ok'}`);
    for (const event of events) {
      record(ledger, event);
      state = stockDecider.evolve(state, event);
      history.push(event);
      checkInvariants(state, ledger, event);
    }
  }
  return { history, state };
}

const count = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

function record(ledger: Ledger, event: StockEvent): void {
  switch (event.type) {
    case 'StockAdded':
      ledger.added += event.data.quantity;
      break;
    case 'StockRemoved':
      ledger.removed += event.data.quantity;
      break;
    case 'StockReserved':
      ledger.reserved += event.data.quantity;
      break;
    case 'ReservationConfirmed':
      ledger.confirmed += event.data.quantity;
      break;
    case 'ReservationReleased':
      ledger.released += event.data.quantity;
      break;
    case 'LowStockThresholdSet':
      break;
  }
}

function checkInvariants(state: StockState, ledger: Ledger, after: StockEvent): void {
  const where = () => `after ${after.type} ${JSON.stringify(after.data)}: total ${state.total}, reserved ${state.reserved}`;
  invariant(Number.isSafeInteger(state.total) && Number.isSafeInteger(state.reserved), where);
  invariant(state.reserved >= 0 && state.reserved <= state.total && state.total <= MAX_QUANTITY, where);
  invariant(available(state) >= 0, where);
  // Goods only enter by AddStock and leave by RemoveStock or a sale; reservations only move them
  // between reserved and available, so reserved + available is conserved by everything else.
  invariant(state.total === ledger.added - ledger.removed - ledger.confirmed, where);
  invariant(available(state) + state.reserved === state.total, where);
  invariant(state.reserved === ledger.reserved - ledger.confirmed - ledger.released, where);
  const pendingSum = pendingReservations(state).reduce((sum, reservation) => sum + reservation.quantity, 0);
  invariant(state.reserved === pendingSum, where);
}

describe('stock invariants under random command sequences', () => {
  it('never lets available go negative, and conserves every unit between total, reserved and available', () => {
    checkProperty(
      fc.property(stockSteps(120), (steps) => {
        run(steps);
      }),
      { numRuns: 150 },
    );
  });

  it('rebuilds the same state when the recorded history is replayed', () => {
    checkProperty(
      fc.property(stockSteps(80), (steps) => {
        const { history, state } = run(steps);
        expect(foldEvents(stockDecider, history)).toEqual(state);
      }),
      { numRuns: 100 },
    );
  });

  it('never lets a reservation be both sold and released, nor settled twice', () => {
    checkProperty(
      fc.property(stockSteps(120), (steps) => {
        const settled = new Map<string, string>();
        for (const event of run(steps).history) {
          if (event.type !== 'ReservationConfirmed' && event.type !== 'ReservationReleased') continue;
          const id = event.data.reservationId;
          invariant(!settled.has(id), () => `reservation ${id} ${settled.get(id)} and then ${event.type}`);
          settled.set(id, event.type);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("generates sequences that reach every command's success path and the interesting refusals", () => {
    outcomes.clear();
    for (const steps of fc.sample(stockSteps(120), { seed: PROPERTY_SEED, numRuns: 100 })) run(steps);
    const types: Array<StockCommand['type']> = [
      'AddStock',
      'RemoveStock',
      'ReserveStock',
      'ConfirmReservation',
      'ReleaseReservation',
      'ExpireReservation',
      'SetLowStockThreshold',
    ];
    for (const type of types) expect(outcomes.get(`${type}:ok`) ?? 0, `${type}:ok`).toBeGreaterThan(0);
    for (const outcome of [
      `AddStock:${ErrorCode.BAD_USER_INPUT}`,
      `RemoveStock:${ErrorCode.INSUFFICIENT_STOCK}`,
      `ReserveStock:${ErrorCode.INSUFFICIENT_STOCK}`,
      `ReserveStock:${ErrorCode.BAD_USER_INPUT}`,
      `ConfirmReservation:${ErrorCode.BAD_USER_INPUT}`,
      `ConfirmReservation:${ErrorCode.NOT_FOUND}`,
      `ReleaseReservation:${ErrorCode.NOT_FOUND}`,
      'ExpireReservation:noop',
    ]) {
      expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
  });
});
