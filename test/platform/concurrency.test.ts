import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandOutcome } from '../../subgraphs/shared/commands/handle-command.js';
import { foldEvents, type Decider } from '../../subgraphs/shared/decider/decider.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { DomainError, ErrorCode, badInput } from '../../subgraphs/shared/errors/codes.js';
import { defineEvents } from '../../subgraphs/shared/event-store/event-schema.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';
import { HOOK_TIMEOUT_MS, uniqueCategory } from './helpers.js';

// A tiny stock aggregate, written here so the test exercises only the platform.
type StockCommand = { type: 'AddStock'; quantity: number } | { type: 'Reserve'; quantity: number; reservationId: string };
type StockEvent = { type: 'StockAdded'; data: { quantity: number } } | { type: 'Reserved'; data: { quantity: number; reservationId: string } };
interface StockState {
  total: number;
  reserved: number;
}
const STOCK_EVENTS = defineEvents<StockEvent>({ StockAdded: true, Reserved: true });

const insufficientStock = (available: number, requested: number): DomainError =>
  new DomainError(ErrorCode.INSUFFICIENT_STOCK, `only ${available} available, ${requested} requested`, { available, requested });

const stock: Decider<StockCommand, StockEvent, StockState> = {
  initialState: () => ({ total: 0, reserved: 0 }),
  evolve: (state, event) =>
    event.type === 'StockAdded' ? { ...state, total: state.total + event.data.quantity } : { ...state, reserved: state.reserved + event.data.quantity },
  decide: (command, state) => {
    if (!Number.isInteger(command.quantity) || command.quantity <= 0) throw badInput('quantity must be a positive integer', 'quantity');
    if (command.type === 'AddStock') return [{ type: 'StockAdded', data: { quantity: command.quantity } }];
    const available = state.total - state.reserved;
    if (command.quantity > available) throw insufficientStock(available, command.quantity);
    return [{ type: 'Reserved', data: { quantity: command.quantity, reservationId: command.reservationId } }];
  },
};

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;

beforeAll(async () => {
  testDb = await createTestDatabase({ maxConnections: 20 });
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

const run = (streamId: string, command: StockCommand, expectedVersion?: number): Promise<CommandOutcome> =>
  handleCommand(sql, {
    streamId,
    events: STOCK_EVENTS,
    decider: stock,
    command,
    metadata: { actor: 'test' },
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  });

const codeOf = (outcome: PromiseSettledResult<unknown>): string =>
  outcome.status === 'fulfilled' ? 'OK' : outcome.reason instanceof DomainError ? outcome.reason.code : `unexpected: ${String(outcome.reason)}`;

describe('concurrent commands on one stream', () => {
  it('50 concurrent reservations of 1 unit against 10 units: exactly 10 succeed, 40 get INSUFFICIENT_STOCK, stock never negative', async () => {
    const stream = `${uniqueCategory('stock')}-p1`;
    await run(stream, { type: 'AddStock', quantity: 10 });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => run(stream, { type: 'Reserve', quantity: 1, reservationId: `r${index}` })),
    );
    const codes = outcomes.map(codeOf);
    expect(codes.filter((code) => code === 'OK')).toHaveLength(10);
    expect(codes.filter((code) => code === ErrorCode.INSUFFICIENT_STOCK)).toHaveLength(40);

    const history = await store.readStream(stream);
    expect(history).toHaveLength(11);
    expect(history.map((event) => event.version)).toEqual(Array.from({ length: 11 }, (_, index) => index + 1));
    // Every intermediate state, not only the last one, respects available >= 0.
    let state = stock.initialState();
    for (const event of history) {
      state = stock.evolve(state, event as unknown as StockEvent);
      expect(state.total - state.reserved).toBeGreaterThanOrEqual(0);
    }
    expect(state).toEqual({ total: 10, reserved: 10 });
    // The winners are exactly the reservations recorded, each once.
    const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value.events : []));
    const recorded = history.filter((event) => event.type === 'Reserved');
    expect(new Set(recorded.map((event) => (event.data as { reservationId: string }).reservationId)).size).toBe(10);
    expect(winners.map((event) => event.position).sort()).toEqual(recorded.map((event) => event.position).sort());
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ extensions: { available: 0, requested: 1 } });
    }
  });

  it('concurrent reservations of varying sizes never oversell', async () => {
    const stream = `${uniqueCategory('stock')}-p2`;
    await run(stream, { type: 'AddStock', quantity: 25 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) => run(stream, { type: 'Reserve', quantity: (index % 4) + 1, reservationId: `r${index}` })),
    );
    expect(outcomes.map(codeOf).filter((code) => code !== 'OK' && code !== ErrorCode.INSUFFICIENT_STOCK)).toEqual([]);
    const state = foldEvents(stock, (await store.readStream(stream)) as unknown as StockEvent[]);
    const reservedByWinners = outcomes
      .flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value.events : []))
      .reduce((sum, event) => sum + (event.data as { quantity: number }).quantity, 0);
    expect(state.reserved).toBe(reservedByWinners);
    expect(state.reserved).toBeLessThanOrEqual(25);
    // Whoever was refused asked for more than was left at the end.
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as DomainError).extensions.requested).toBeGreaterThan(25 - state.reserved);
    }
  });

  it('with a client expectedVersion, concurrent commands are not retried: one wins, the rest get CONCURRENCY_CONFLICT with the current version', async () => {
    const stream = `${uniqueCategory('stock')}-p3`;
    const added = await run(stream, { type: 'AddStock', quantity: 10 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, index) => run(stream, { type: 'Reserve', quantity: 1, reservationId: `r${index}` }, added.version)),
    );
    const codes = outcomes.map(codeOf);
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === ErrorCode.CONCURRENCY_CONFLICT)).toHaveLength(4);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ extensions: { currentVersion: 2 } });
    }
    expect(await store.streamVersion(stream)).toBe(2);
  });
});
