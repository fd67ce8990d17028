import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommandBatch, type BatchOutcome, type CommandBatch } from '../../subgraphs/shared/commands/handle-command-batch.js';
import { withDeadline } from '../../subgraphs/shared/commands/deadline.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { ErrorCode, badInput } from '../../subgraphs/shared/errors/codes.js';
import { defineEvents } from '../../subgraphs/shared/event-store/event-schema.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';
import { HOOK_TIMEOUT_MS, rejectionOf, uniqueCategory } from './helpers.js';

// Notes claimed by id in a table of their own, as activity claims its ids in a read model.
type Note = { id: string; text: string };
type Noted = { type: 'Noted'; data: Note };
const NOTE_EVENTS = defineEvents<Noted>({ Noted: true });

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;
const table = `notes_${uniqueCategory('t')}`;

beforeAll(async () => {
  testDb = await createTestDatabase({ maxConnections: 20 });
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
  await sql.exec(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

/** A batch of notes: a known id records nothing, an empty text refuses the batch. */
function notes(streamId: string, commands: Note[], extra: Partial<CommandBatch<Note, Noted>> = {}): Promise<BatchOutcome<Noted>> {
  return handleCommandBatch(sql, {
    streamId,
    events: NOTE_EVENTS,
    commands,
    metadata: { correlationId: 'corr-batch', actor: 'test' },
    decide: async (tx, batch) => {
      if (batch.some((note) => note.text === '')) throw badInput('a note needs a text', 'text');
      const claimed = await tx.query<{ id: string }>(`INSERT INTO ${table} (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING id`, [
        batch.map((note) => note.id),
      ]);
      const fresh = new Set(claimed.map((row) => row.id));
      return batch.map((note) => (fresh.has(note.id) ? [{ type: 'Noted' as const, data: note }] : []));
    },
    ...extra,
  });
}

describe('handleCommandBatch', () => {
  it('answers each command with its own events, appended in command order in one statement', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    const first = await notes(streamId, [
      { id: `${streamId}-a`, text: 'a' },
      { id: `${streamId}-b`, text: 'b' },
    ]);
    expect(first.replayed).toBe(false);
    expect(first.results.map((events) => events.map((event) => event.data.text))).toEqual([['a'], ['b']]);
    expect(first.events.map((event) => event.version)).toEqual([1, 2]);
    const again = await notes(streamId, [
      { id: `${streamId}-b`, text: 'b' },
      { id: `${streamId}-c`, text: 'c' },
    ]);
    expect(again.results.map((events) => events.map((event) => event.version))).toEqual([[], [3]]);
    expect((await store.readStream(streamId)).map((event) => event.data)).toEqual([
      { id: `${streamId}-a`, text: 'a' },
      { id: `${streamId}-b`, text: 'b' },
      { id: `${streamId}-c`, text: 'c' },
    ]);
  });

  it('projects only what it appended, in the same transaction', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    const projected: string[][] = [];
    const project = async (_tx: SqlClient, appended: Array<{ data: Note }>) => {
      projected.push(appended.map((event) => event.data.id));
    };
    await notes(streamId, [{ id: `${streamId}-a`, text: 'a' }], { project });
    await notes(streamId, [{ id: `${streamId}-a`, text: 'a' }], { project });
    expect(projected).toEqual([[`${streamId}-a`]]);
  });

  it('writes nothing of a refused batch', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    await rejectionOf(
      notes(streamId, [
        { id: `${streamId}-a`, text: 'a' },
        { id: `${streamId}-b`, text: '' },
      ]),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(await store.readStream(streamId)).toEqual([]);
    expect(await sql.query(`SELECT id FROM ${table} WHERE id = $1`, [`${streamId}-a`])).toEqual([]);
  });

  it('replays a batch under its idempotency key and refuses the key for another batch', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    const key = `key-${streamId}`;
    const batch = [{ id: `${streamId}-a`, text: 'a' }];
    const first = await notes(streamId, batch, { idempotencyKey: key });
    const replay = await notes(streamId, batch, { idempotencyKey: key });
    expect(replay.replayed).toBe(true);
    expect(replay.events).toEqual(first.events);
    expect(first.events[0]!.metadata.idempotencyKey).toBe(key);
    expect(replay.events[0]!.occurredAt).toBeInstanceOf(Date);
    await rejectionOf(notes(streamId, [{ id: `${streamId}-b`, text: 'b' }], { idempotencyKey: key }), ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('is not started past the deadline', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    const late = withDeadline(Date.now() - 1, () => notes(streamId, [{ id: `${streamId}-a`, text: 'a' }]));
    expect((await rejectionOf(late, ErrorCode.DEADLINE_EXCEEDED)).extensions).toMatchObject({ outcome: 'NOT_APPLIED' });
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('runs again after a transient failure', async () => {
    const streamId = `${uniqueCategory('notes')}-1`;
    let tries = 0;
    const outcome = await handleCommandBatch(sql, {
      streamId,
      events: NOTE_EVENTS,
      commands: [{ id: `${streamId}-a`, text: 'a' }],
      metadata: {},
      decide: async (_tx, batch) => {
        tries += 1;
        if (tries === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        return batch.map((note) => [{ type: 'Noted' as const, data: note }]);
      },
    });
    expect(tries).toBe(2);
    expect(outcome.events).toHaveLength(1);
  });
});
