import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandOutcome } from '../../subgraphs/shared/commands/handle-command.js';
import type { Decider } from '../../subgraphs/shared/decider/decider.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { ErrorCode, badInput } from '../../subgraphs/shared/errors/codes.js';
import type { RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { defineEvents } from '../../subgraphs/shared/event-store/event-schema.js';
import type { SnapshotPolicy } from '../../subgraphs/shared/snapshots/contract.js';
import { SqlSnapshotStore } from '../../subgraphs/shared/snapshots/sql-snapshot-store.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';
import { HOOK_TIMEOUT_MS, rejectionOf, uniqueCategory } from './helpers.js';

// A counter that refuses to pass a ceiling: its decisions depend on the state it starts from.
type CounterCommand = { type: 'Increment'; by: number };
type CounterEvent = { type: 'Incremented'; data: { by: number } };
const COUNTER_EVENTS = defineEvents<CounterEvent>({ Incremented: true });
interface CounterState {
  value: number;
  increments: number;
}

const CEILING = 1_000;
const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ value: 0, increments: 0 }),
  evolve: (state, event) => ({ value: state.value + event.data.by, increments: state.increments + 1 }),
  decide: (command, state) => {
    if (state.value + command.by > CEILING) throw badInput(`the counter would pass ${CEILING}`, 'by');
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
};

const EVERY_THREE: SnapshotPolicy = { revision: 'counter-1', every: 3 };

let testDb: TestDatabase;
let sql: SqlClient;

beforeAll(async () => {
  testDb = await createTestDatabase();
  sql = testDb.database.sql;
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

/** What the inline projection was handed, per command. */
interface Projected {
  readonly history: RecordedEvent[];
  readonly state: CounterState;
}

async function increment(
  streamId: string,
  by: number,
  options: { snapshots?: SnapshotPolicy; expectedVersion?: number; projected?: Projected[] } = {},
): Promise<CommandOutcome> {
  return handleCommand(sql, {
    streamId,
    events: COUNTER_EVENTS,
    decider: counter,
    command: { type: 'Increment', by },
    metadata: { correlationId: 'corr-snapshots' },
    ...(options.snapshots ? { snapshots: options.snapshots } : {}),
    ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
    project: async (_tx, stream) => {
      options.projected?.push({ history: stream.history, state: stream.state });
    },
  });
}

async function snapshotRow(streamId: string): Promise<{ revision: string; version: number; state: unknown } | undefined> {
  const [row] = await sql.query<{ revision: string; version: number; state: unknown }>(
    'SELECT revision, version, state FROM stream_snapshots WHERE stream_id = $1',
    [streamId],
  );
  return row;
}

describe('stream snapshots', () => {
  it('are written once a command leaves the stream `every` events past the last one', async () => {
    const stream = `${uniqueCategory()}-1`;
    for (let index = 1; index <= 2; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
    expect(await snapshotRow(stream)).toBeUndefined();
    await increment(stream, 1, { snapshots: EVERY_THREE });
    expect(await snapshotRow(stream)).toEqual({ revision: 'counter-1', version: 3, state: { value: 3, increments: 3 } });
    for (let index = 4; index <= 7; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
    expect(await snapshotRow(stream)).toEqual({ revision: 'counter-1', version: 6, state: { value: 6, increments: 6 } });
  });

  it('let a command read only the events after the snapshot, and hand the projection the state after it', async () => {
    const stream = `${uniqueCategory()}-1`;
    for (let index = 1; index <= 4; index += 1) await increment(stream, 10, { snapshots: EVERY_THREE });
    const projected: Projected[] = [];
    const outcome = await increment(stream, 10, { snapshots: EVERY_THREE, projected });
    expect(outcome.version).toBe(5);
    // Snapshot at version 3; read 4; appended 5.
    expect(projected[0]!.history.map((event) => event.version)).toEqual([4, 5]);
    expect(projected[0]!.state).toEqual({ value: 50, increments: 5 });
  });

  it('are what a command decides from: a saved state is trusted as the stream up to its version', async () => {
    const stream = `${uniqueCategory()}-1`;
    for (let index = 1; index <= 3; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
    // A state the events do not give shows which one the decision used.
    await sql.query(`UPDATE stream_snapshots SET state = '{"value": 999, "increments": 3}' WHERE stream_id = $1`, [stream]);
    await rejectionOf(increment(stream, 2, { snapshots: EVERY_THREE }), ErrorCode.BAD_USER_INPUT);
    // Without snapshots the same command folds the events and passes.
    expect((await increment(stream, 2)).version).toBe(4);
  });

  it('of another revision are ignored and replaced', async () => {
    const stream = `${uniqueCategory()}-1`;
    for (let index = 1; index <= 3; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
    await sql.query(`UPDATE stream_snapshots SET state = '{"value": 999, "increments": 3}' WHERE stream_id = $1`, [stream]);
    const next: SnapshotPolicy = { revision: 'counter-2', every: 3 };
    const projected: Projected[] = [];
    await increment(stream, 1, { snapshots: next, projected });
    expect(projected[0]!.history.map((event) => event.version)).toEqual([1, 2, 3, 4]);
    expect(projected[0]!.state).toEqual({ value: 4, increments: 4 });
    expect(await snapshotRow(stream)).toEqual({ revision: 'counter-2', version: 4, state: { value: 4, increments: 4 } });
  });

  it('check a client expectedVersion against the snapshot when no event follows it', async () => {
    const stream = `${uniqueCategory()}-1`;
    for (let index = 1; index <= 3; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
    const conflict = await rejectionOf(increment(stream, 1, { snapshots: EVERY_THREE, expectedVersion: 2 }), ErrorCode.CONCURRENCY_CONFLICT);
    expect(conflict.extensions).toMatchObject({ currentVersion: 3 });
    expect((await increment(stream, 1, { snapshots: EVERY_THREE, expectedVersion: 3 })).version).toBe(4);
  });

  it('keep concurrent writers consistent: no increment is lost or counted twice', async () => {
    const stream = `${uniqueCategory()}-1`;
    const writers = 8;
    const each = 10;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let index = 0; index < each; index += 1) await increment(stream, 1, { snapshots: EVERY_THREE });
      }),
    );
    const projected: Projected[] = [];
    await increment(stream, 1, { snapshots: EVERY_THREE, projected });
    expect(projected[0]!.state).toEqual({ value: writers * each + 1, increments: writers * each + 1 });
    const saved = await snapshotRow(stream);
    expect(saved!.state).toEqual({ value: saved!.version, increments: saved!.version });
  });

  it('never go back to an earlier version of the same revision', async () => {
    const stream = `${uniqueCategory()}-1`;
    const snapshots = new SqlSnapshotStore(sql);
    await snapshots.write(stream, 'counter-1', { version: 9, state: { value: 9, increments: 9 } });
    await snapshots.write(stream, 'counter-1', { version: 6, state: { value: 6, increments: 6 } });
    expect(await snapshots.read(stream, 'counter-1')).toEqual({ version: 9, state: { value: 9, increments: 9 } });
    expect(await snapshots.read(stream, 'counter-2')).toBeUndefined();
  });
});
