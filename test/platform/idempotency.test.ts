import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandOutcome } from '../../subgraphs/shared/commands/handle-command.js';
import type { Decider } from '../../subgraphs/shared/decider/decider.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { DomainError, ErrorCode, badInput } from '../../subgraphs/shared/errors/codes.js';
import { defineEvents } from '../../subgraphs/shared/event-store/event-schema.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';
import { HOOK_TIMEOUT_MS, rejectionOf, uniqueCategory } from './helpers.js';

// A tiny counter aggregate: enough to observe what handleCommand appends.
type CounterCommand = { type: 'Increment'; by: number; note?: string } | { type: 'Fail' };
type CounterEvent = { type: 'Incremented'; data: { by: number } };
const COUNTER_EVENTS = defineEvents<CounterEvent>({ Incremented: true });
interface CounterState {
  value: number;
}

const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ value: 0 }),
  evolve: (state, event) => ({ value: state.value + event.data.by }),
  decide: (command) => {
    if (command.type === 'Fail') throw badInput('refused on purpose');
    if (!Number.isInteger(command.by) || command.by <= 0) throw badInput('by must be a positive integer', 'by');
    return [{ type: 'Incremented', data: { by: command.by } }];
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

function increment(streamId: string, command: CounterCommand, idempotencyKey?: string): Promise<CommandOutcome> {
  return handleCommand(sql, {
    streamId,
    events: COUNTER_EVENTS,
    decider: counter,
    command,
    metadata: { correlationId: 'corr-idem', actor: 'test' },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

/** Counted directly: readAll is commit-safe and may lag behind while other suites' transactions run. */
async function eventsInCategory(category: string): Promise<number> {
  const rows = await sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM events WHERE split_part(stream_id, '-', 1) = $1`, [category]);
  return Number(rows[0]?.count ?? 0);
}

describe('idempotent commands', () => {
  it('same key and same command: the second call returns the first result and appends nothing', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    const first = await increment(stream, { type: 'Increment', by: 3 }, key);
    expect(first.replayed).toBe(false);
    expect(first.version).toBe(1);
    expect(first.events).toHaveLength(1);
    expect(first.events[0]!.metadata).toMatchObject({ idempotencyKey: key, correlationId: 'corr-idem' });

    const again = await increment(stream, { type: 'Increment', by: 3 }, key);
    expect(again.replayed).toBe(true);
    expect(again.version).toBe(first.version);
    expect(again.events).toEqual(first.events);
    expect(again.events[0]!.occurredAt).toBeInstanceOf(Date);
    expect(await store.streamVersion(stream)).toBe(1);
    expect(await eventsInCategory(category)).toBe(1);
  });

  it('recognises the same command whatever the order of its fields', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    const first = await increment(stream, { type: 'Increment', by: 2, note: 'x' }, key);
    const reordered = await increment(stream, { note: 'x', by: 2, type: 'Increment' }, key);
    expect(reordered.replayed).toBe(true);
    expect(reordered.events).toEqual(first.events);
    expect(await eventsInCategory(category)).toBe(1);
  });

  it('same key with a different command fails with IDEMPOTENCY_KEY_REUSED and appends nothing', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    await increment(stream, { type: 'Increment', by: 1 }, key);
    const error = await rejectionOf(increment(stream, { type: 'Increment', by: 2 }, key), ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(error.extensions.idempotencyKey).toBe(key);
    // The same command aimed at another stream is another command too.
    await rejectionOf(increment(`${category}-2`, { type: 'Increment', by: 1 }, key), ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(await store.streamVersion(stream)).toBe(1);
    expect(await store.streamVersion(`${category}-2`)).toBe(0);
    expect(await eventsInCategory(category)).toBe(1);
  });

  it('without a key, repeating a command appends again', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    await increment(stream, { type: 'Increment', by: 1 });
    const second = await increment(stream, { type: 'Increment', by: 1 });
    expect(second.replayed).toBe(false);
    expect(second.version).toBe(2);
  });

  it('a refused command does not use up its key: nothing is stored, and a retry runs', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    await rejectionOf(increment(stream, { type: 'Fail' }, key), ErrorCode.BAD_USER_INPUT);
    const rows = await sql.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toEqual([]);
    const retried = await increment(stream, { type: 'Increment', by: 5 }, key);
    expect(retried.replayed).toBe(false);
    expect(retried.version).toBe(1);
  });

  it('rejects an empty or oversized key as BAD_USER_INPUT', async () => {
    const stream = `${uniqueCategory()}-1`;
    await rejectionOf(
      handleCommand(sql, {
        streamId: stream,
        events: COUNTER_EVENTS,
        decider: counter,
        command: { type: 'Increment', by: 1 },
        metadata: {},
        idempotencyKey: 'k'.repeat(201),
      }),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(await store.streamVersion(stream)).toBe(0);
  });

  it('10 concurrent calls with one key append exactly once and all return that one result', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => increment(stream, { type: 'Increment', by: 7 }, key)));
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures.map((failure) => (failure.reason instanceof DomainError ? failure.reason.code : String(failure.reason)))).toEqual([]);
    const results = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<CommandOutcome>).value);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(9);
    const original = results.find((result) => !result.replayed)!;
    for (const result of results) {
      expect(result.events).toEqual(original.events);
      expect(result.version).toBe(1);
    }
    expect(await store.streamVersion(stream)).toBe(1);
    expect(await eventsInCategory(category)).toBe(1);
  });

  it('concurrent calls with one key and different commands: one runs, the others are told the key was reused', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const key = `key-${category}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, index) => increment(stream, { type: 'Increment', by: index + 1 }, key)));
    const fulfilled = outcomes.filter((outcome): outcome is PromiseFulfilledResult<CommandOutcome> => outcome.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: ErrorCode.IDEMPOTENCY_KEY_REUSED });
    }
    expect(await eventsInCategory(category)).toBe(1);
  });
});
