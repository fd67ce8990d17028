import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import type { DomainEvent } from '../../subgraphs/shared/decider/decider.js';
import { ErrorCode } from '../../subgraphs/shared/errors/codes.js';
import { LOG_START, cursorOf, isAfter, type LogCursor, type RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { decodeEvents } from '../../subgraphs/shared/bus/serialization.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';
import { seededRandom } from '../support/seeded-random.js';
import { HOOK_TIMEOUT_MS, expectLogOrder, openSlowTransaction, rejectionOf, settle, sleep, uniqueCategory } from './helpers.js';

const event = (type: string, data: unknown = {}): DomainEvent => ({ type, data });
const events = (count: number, type = 'Happened'): DomainEvent[] => Array.from({ length: count }, (_, index) => event(type, { index }));

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;

beforeAll(async () => {
  // 20 writers hold a connection each during the concurrency test; the reader needs one more.
  testDb = await createTestDatabase({ maxConnections: 24 });
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

/** Number of events of a category in the whole log. */
async function countInCategory(category: string): Promise<number> {
  const rows = await sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM events WHERE split_part(stream_id, '-', 1) = $1`, [category]);
  return Number(rows[0]?.count ?? 0);
}

/** Expects the append to fail with CONCURRENCY_CONFLICT at `currentVersion` and to leave no trace. */
async function expectConflict(streamId: string, append: () => Promise<unknown>, currentVersion: number): Promise<void> {
  const category = streamId.slice(0, streamId.indexOf('-'));
  const before = await countInCategory(category);
  const historyBefore = await store.readStream(streamId);
  const error = await rejectionOf(append(), ErrorCode.CONCURRENCY_CONFLICT);
  expect(error.extensions.currentVersion).toBe(currentVersion);
  expect(error.extensions.streamId).toBe(streamId);
  expect(await store.streamVersion(streamId)).toBe(currentVersion);
  expect(await store.readStream(streamId)).toEqual(historyBefore);
  expect(await countInCategory(category)).toBe(before);
}

describe('event store: expected versions', () => {
  it('ANY appends to a new stream and to an existing one', async () => {
    const stream = `${uniqueCategory()}-1`;
    const first = await store.appendToStream(stream, events(2), { expectedVersion: 'ANY' });
    expect(first.nextExpectedVersion).toBe(2);
    const second = await store.appendToStream(stream, events(1));
    expect(second.nextExpectedVersion).toBe(3);
    expect(second.events.map((recorded) => recorded.version)).toEqual([3]);
  });

  it('ANY never conflicts: concurrent ANY appends to one stream all land with distinct versions', async () => {
    const stream = `${uniqueCategory()}-1`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.appendToStream(stream, [event('Any', { index })], { expectedVersion: 'ANY' })),
    );
    const versions = results.map((result) => result.nextExpectedVersion).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await store.readStream(stream)).map((recorded) => recorded.version)).toEqual(versions);
  });

  it('NO_STREAM appends when the stream does not exist', async () => {
    const stream = `${uniqueCategory()}-1`;
    const result = await store.appendToStream(stream, events(2), { expectedVersion: 'NO_STREAM' });
    expect(result.nextExpectedVersion).toBe(2);
    expect(result.events.map((recorded) => recorded.version)).toEqual([1, 2]);
  });

  it('NO_STREAM fails with CONCURRENCY_CONFLICT and the current version when the stream exists, appending nothing', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(3));
    await expectConflict(stream, () => store.appendToStream(stream, events(2), { expectedVersion: 'NO_STREAM' }), 3);
  });

  it('STREAM_EXISTS appends to an existing stream', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(1));
    const result = await store.appendToStream(stream, events(2), { expectedVersion: 'STREAM_EXISTS' });
    expect(result.events.map((recorded) => recorded.version)).toEqual([2, 3]);
  });

  it('STREAM_EXISTS fails with currentVersion 0 on a missing stream and does not create it', async () => {
    const stream = `${uniqueCategory()}-1`;
    await expectConflict(stream, () => store.appendToStream(stream, events(1), { expectedVersion: 'STREAM_EXISTS' }), 0);
    const rows = await sql.query('SELECT 1 FROM streams WHERE stream_id = $1', [stream]);
    expect(rows).toEqual([]);
  });

  it('an exact version appends when it matches the stream version (0 = new stream)', async () => {
    const stream = `${uniqueCategory()}-1`;
    const created = await store.appendToStream(stream, events(2), { expectedVersion: 0 });
    expect(created.nextExpectedVersion).toBe(2);
    const next = await store.appendToStream(stream, events(3), { expectedVersion: 2 });
    expect(next.nextExpectedVersion).toBe(5);
    expect(next.events.map((recorded) => recorded.version)).toEqual([3, 4, 5]);
  });

  it('an exact version behind, ahead of, or 0 on an existing stream fails with the current version, appending nothing', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(4));
    await expectConflict(stream, () => store.appendToStream(stream, events(1), { expectedVersion: 3 }), 4);
    await expectConflict(stream, () => store.appendToStream(stream, events(2), { expectedVersion: 7 }), 4);
    await expectConflict(stream, () => store.appendToStream(stream, events(1), { expectedVersion: 0 }), 4);
  });

  it('an exact version on a missing stream fails with currentVersion 0', async () => {
    const stream = `${uniqueCategory()}-1`;
    await expectConflict(stream, () => store.appendToStream(stream, events(1), { expectedVersion: 1 }), 0);
  });

  it('of two writers expecting the same version exactly one wins', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(1));
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => store.appendToStream(stream, events(1), { expectedVersion: 1 })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, extensions: { currentVersion: 2 } });
      }
    }
    expect(await store.streamVersion(stream)).toBe(2);
  });

  it('rejects a negative or fractional expected version as BAD_USER_INPUT', async () => {
    const stream = `${uniqueCategory()}-1`;
    await rejectionOf(store.appendToStream(stream, events(1), { expectedVersion: -1 }), ErrorCode.BAD_USER_INPUT);
    await rejectionOf(store.appendToStream(stream, events(1), { expectedVersion: 1.5 }), ErrorCode.BAD_USER_INPUT);
    expect(await store.streamVersion(stream)).toBe(0);
  });

  it('appending no events changes nothing and reports the current version', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(2));
    const result = await store.appendToStream(stream, []);
    expect(result).toEqual({ nextExpectedVersion: 2, events: [] });
  });
});

describe('event store: batches, metadata and reads', () => {
  it('appends a batch with consecutive versions and increasing positions', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(2));
    const result = await store.appendToStream(stream, events(50, 'Batched'), { expectedVersion: 2 });
    expect(result.events.map((recorded) => recorded.version)).toEqual(Array.from({ length: 50 }, (_, index) => index + 3));
    expect(result.events.map((recorded) => (recorded.data as { index: number }).index)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    const positions = result.events.map((recorded) => BigInt(recorded.position));
    for (let index = 1; index < positions.length; index += 1) expect(positions[index]! > positions[index - 1]!).toBe(true);
    // One transaction wrote the whole batch.
    expect(new Set(result.events.map((recorded) => recorded.transactionId)).size).toBe(1);
    expect(result.nextExpectedVersion).toBe(52);
  });

  it('appends a batch atomically: when one event cannot be stored, none is and the version is not claimed', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    await store.appendToStream(stream, events(1));
    // jsonb refuses the NUL character, so the third event of the batch makes the statement fail.
    const batch = [event('Ok', { n: 1 }), event('Ok', { n: 2 }), event('Broken', { text: 'nul \u0000 byte' })];
    await expect(store.appendToStream(stream, batch)).rejects.toThrow();
    expect(await store.streamVersion(stream)).toBe(1);
    expect(await store.readStream(stream)).toHaveLength(1);
    expect(await countInCategory(category)).toBe(1);
    const next = await store.appendToStream(stream, events(1), { expectedVersion: 1 });
    expect(next.events[0]!.version).toBe(2);
  });

  it('keeps concurrent batches to one stream contiguous (never interleaved)', async () => {
    const stream = `${uniqueCategory()}-1`;
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        store.appendToStream(
          stream,
          Array.from({ length: 10 }, (_, index) => event('Batched', { writer, index })),
        ),
      ),
    );
    const history = await store.readStream(stream);
    expect(history.map((recorded) => recorded.version)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
    for (let start = 0; start < 80; start += 10) {
      const chunk = history.slice(start, start + 10).map((recorded) => recorded.data as { writer: number; index: number });
      expect(new Set(chunk.map((data) => data.writer)).size).toBe(1);
      expect(chunk.map((data) => data.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('round-trips metadata and data through append, readStream and readAll', async () => {
    const category = uniqueCategory();
    const stream = `${category}-1`;
    const metadata = { correlationId: 'corr-1', causationId: 'cause-1', actor: 'user:42', idempotencyKey: 'key-1' };
    const data = { text: 'zürich ✓ "quoted"', n: 12.5, big: 2 ** 40, nested: { list: [1, null, true] }, none: null };
    const appended = await store.appendToStream(stream, [event('Rich', data), event('Empty', null)], { metadata });
    const read = await store.readStream(stream);
    await settle(sql);
    const all = await store.readAll(LOG_START, { categories: [category] });
    for (const list of [appended.events, read, all]) {
      expect(list.map((recorded) => recorded.metadata)).toEqual([metadata, metadata]);
      expect(list[0]!.data).toEqual(data);
      expect(list[1]!.data).toBeNull();
      expect(list[0]!.occurredAt).toBeInstanceOf(Date);
    }
    expect(read).toEqual(appended.events);
    expect(all).toEqual(appended.events);
  });

  it('stores an empty metadata object when none is given', async () => {
    const stream = `${uniqueCategory()}-1`;
    const {
      events: [recorded],
    } = await store.appendToStream(stream, events(1));
    expect(recorded!.metadata).toEqual({});
    expect((await store.readStream(stream))[0]!.metadata).toEqual({});
  });

  it('readStream returns only the events after `afterVersion`', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(5));
    expect((await store.readStream(stream, { afterVersion: 2 })).map((recorded) => recorded.version)).toEqual([3, 4, 5]);
    expect(await store.readStream(stream, { afterVersion: 5 })).toEqual([]);
    expect((await store.readStream(stream, { afterVersion: 0 })).map((recorded) => recorded.version)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.readStream(`${uniqueCategory()}-missing`)).toEqual([]);
  });

  it('readStream `until` travels back in time to the events that had occurred by then', async () => {
    const stream = `${uniqueCategory()}-1`;
    await store.appendToStream(stream, events(2));
    // Time passing is the subject here: an instant strictly between the two appends.
    await sleep(30);
    const between = new Date();
    await sleep(30);
    await store.appendToStream(stream, events(1));
    const history = await store.readStream(stream);
    expect(history).toHaveLength(3);
    expect((await store.readStream(stream, { until: between })).map((recorded) => recorded.version)).toEqual([1, 2]);
    expect(await store.readStream(stream, { until: new Date(history[0]!.occurredAt.getTime() - 1000) })).toEqual([]);
    expect(await store.readStream(stream, { until: history[2]!.occurredAt })).toHaveLength(3);
    expect((await store.readStream(stream, { until: between, afterVersion: 1 })).map((recorded) => recorded.version)).toEqual([2]);
  });

  it('gives every event a unique global position, increasing with the version inside a stream', async () => {
    const category = uniqueCategory();
    await Promise.all(
      Array.from({ length: 5 }, async (_, writer) => {
        for (let index = 0; index < 6; index += 1) await store.appendToStream(`${category}-${writer}`, events(index % 2 === 0 ? 1 : 3));
      }),
    );
    await settle(sql);
    const all = await store.readAll(LOG_START, { categories: [category] });
    expect(all).toHaveLength(5 * 12);
    expect(new Set(all.map((recorded) => recorded.position)).size).toBe(all.length);
    for (let writer = 0; writer < 5; writer += 1) {
      const history = await store.readStream(`${category}-${writer}`);
      expect(history.map((recorded) => recorded.version)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
      for (let index = 1; index < history.length; index += 1) {
        expect(BigInt(history[index]!.position) > BigInt(history[index - 1]!.position)).toBe(true);
      }
    }
  });

  it('streamVersion is 0 for a missing stream and the last version otherwise', async () => {
    const stream = `${uniqueCategory()}-1`;
    expect(await store.streamVersion(stream)).toBe(0);
    await store.appendToStream(stream, events(3));
    expect(await store.streamVersion(stream)).toBe(3);
  });

  it('cursorAt finds the log cursor of a position, so readAll resumes right after it', async () => {
    const category = uniqueCategory();
    const { events: appended } = await store.appendToStream(`${category}-1`, events(4));
    const third = appended[2]!;
    const cursor = await store.cursorAt(third.position);
    expect(cursor).toEqual(cursorOf(third));
    await settle(sql);
    const rest = await store.readAll(cursor!, { categories: [category] });
    expect(rest.map((recorded) => recorded.position)).toEqual([appended[3]!.position]);
    expect(await store.cursorAt('999999999999')).toBeUndefined();
    await rejectionOf(store.cursorAt('12; DROP TABLE events'), ErrorCode.BAD_USER_INPUT);
    await rejectionOf(store.cursorAt('-1'), ErrorCode.BAD_USER_INPUT);
  });

  it('readAll filters by category (whole category names only) and keeps log order', async () => {
    const a = uniqueCategory('a');
    const b = uniqueCategory('b');
    const c = uniqueCategory('c');
    for (let round = 0; round < 3; round += 1) {
      await store.appendToStream(`${a}-1`, events(1));
      await store.appendToStream(`${b}-x-y`, events(1)); // ids may contain dashes: the category ends at the first
      await store.appendToStream(`${c}-1`, events(1));
      await store.appendToStream(`${a}x-1`, events(1)); // another category that merely starts like `a`
    }
    await settle(sql);
    const both = await store.readAll(LOG_START, { categories: [a, b] });
    expect(both.map((recorded) => recorded.streamId)).toEqual([`${a}-1`, `${b}-x-y`, `${a}-1`, `${b}-x-y`, `${a}-1`, `${b}-x-y`]);
    expectLogOrder(both);
    expect(await store.readAll(LOG_START, { categories: [a] })).toHaveLength(3);
    expect(await store.readAll(LOG_START, { categories: [`${a}x`] })).toHaveLength(3);
    // No filter (and an empty filter) means every category.
    const everything = await store.readAll(LOG_START, { limit: 100_000 });
    expect(everything.filter((recorded) => [a, b, c, `${a}x`].some((name) => recorded.streamId.startsWith(`${name}-`)))).toHaveLength(12);
    expect(await store.readAll(LOG_START, { categories: [], limit: 100_000 })).toHaveLength(everything.length);
  });

  it('readAll pages with `limit` without skipping or repeating', async () => {
    const category = uniqueCategory();
    for (let stream = 0; stream < 4; stream += 1) await store.appendToStream(`${category}-${stream}`, events(7));
    await settle(sql);
    const paged: RecordedEvent[] = [];
    let cursor: LogCursor = LOG_START;
    for (;;) {
      const page = await store.readAll(cursor, { categories: [category], limit: 5 });
      expect(page.length).toBeLessThanOrEqual(5);
      if (page.length === 0) break;
      paged.push(...page);
      cursor = cursorOf(page[page.length - 1]!);
    }
    expect(paged).toEqual(await store.readAll(LOG_START, { categories: [category] }));
    expect(paged).toHaveLength(28);
  });

  it('readAllEncoded returns the events of readAll as runs of one category in log order, with the last cursor', async () => {
    const [first, second] = [uniqueCategory(), uniqueCategory()];
    const data = { text: 'zürich ✓ "quoted"\n', n: 12.5, big: 2 ** 40, nested: { list: [1, null, true] }, none: null };
    await store.appendToStream(`${first}-1`, [event('Rich', data), event('Empty', null)], { metadata: { correlationId: 'corr-j', actor: 'user:7' } });
    await store.appendToStream(`${second}-1`, events(2));
    await store.appendToStream(`${first}-2`, events(3));
    await settle(sql);
    const categories = [first, second];
    const start = (await store.readAll(LOG_START, { categories, limit: 1 }))[0]!;
    const expected = await store.readAll(cursorOf(start), { categories, limit: 6 });
    const page = await store.readAllEncoded(cursorOf(start), { categories, limit: 6 });
    expect(page.count).toBe(6);
    expect(page.runs.map((run) => [run.category, run.count])).toEqual([
      [first, 1],
      [second, 2],
      [first, 3],
    ]);
    expect(page.runs.flatMap((run) => decodeEvents(run.json))).toEqual(expected);
    expect(page.last).toEqual(cursorOf(expected[5]!));
    const empty = await store.readAllEncoded(cursorOf(expected[5]!), { categories });
    expect(empty).toEqual({ count: 0, runs: [], last: undefined });
  });
});

describe('log cursors', () => {
  it('isAfter orders by transaction id, then position, as numbers (9 < 10 < 100)', () => {
    const at = (transactionId: string, position: string): LogCursor => ({ transactionId, position });
    expect(isAfter(at('10', '1'), at('9', '50'))).toBe(true);
    expect(isAfter(at('9', '50'), at('10', '1'))).toBe(false);
    expect(isAfter(at('10', '100'), at('10', '99'))).toBe(true);
    expect(isAfter(at('10', '99'), at('10', '100'))).toBe(false);
    expect(isAfter(at('10', '7'), at('10', '7'))).toBe(false);
    expect(isAfter(at('9223372036854775807', '1'), at('9223372036854775806', '2'))).toBe(true);
  });
});

describe('event store: commit-safe tailing', () => {
  it('a reader tailing readAll while 20 writers append concurrently sees every event exactly once, in commit-safe order', async () => {
    const category = uniqueCategory();
    const writers = 20;
    const appendsPerWriter = 15;
    let expectedTotal = 0;
    for (let append = 0; append < appendsPerWriter; append += 1) expectedTotal += append % 5 === 4 ? 3 : 1;
    expectedTotal *= writers;

    let writing = true;
    const jitter = seededRandom(400);
    const seen: RecordedEvent[] = [];
    const reader = (async () => {
      let cursor: LogCursor = LOG_START;
      const deadline = Date.now() + 50_000;
      while (Date.now() < deadline) {
        const page = await store.readAll(cursor, { categories: [category], limit: 37 });
        if (page.length > 0) {
          seen.push(...page);
          cursor = cursorOf(page[page.length - 1]!);
        } else if (!writing && seen.length >= expectedTotal) {
          return;
        } else {
          await sleep(1);
        }
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const stream = `${category}-${writer}`;
        for (let append = 0; append < appendsPerWriter; append += 1) {
          const batch = append % 5 === 4 ? 3 : 1;
          // Hold the transaction open a little after appending, so commits land out of xid/position order.
          await sql.transaction(async (tx) => {
            await store.withClient(tx).appendToStream(
              stream,
              Array.from({ length: batch }, (_, index) => event('Written', { writer, append, index })),
            );
            await sleep(jitter() * 3);
          });
        }
      }),
    );
    writing = false;
    await reader;

    expect(seen).toHaveLength(expectedTotal);
    expect(new Set(seen.map((recorded) => recorded.position)).size).toBe(expectedTotal);
    expectLogOrder(seen);
    // The tail equals the settled log: nothing was skipped while transactions committed out of order.
    expect(seen.map((recorded) => recorded.position)).toEqual(
      (await store.readAll(LOG_START, { categories: [category], limit: 10_000 })).map((recorded) => recorded.position),
    );
    for (let writer = 0; writer < writers; writer += 1) {
      const versions = seen.filter((recorded) => recorded.streamId === `${category}-${writer}`).map((recorded) => recorded.version);
      expect(versions).toEqual(Array.from({ length: expectedTotal / writers }, (_, index) => index + 1));
    }
  });

  it('withholds events committed after an older, still running transaction until it commits, then returns them all without skipping', async () => {
    const category = uniqueCategory();
    const slow = await openSlowTransaction(testDb);
    try {
      // Committed before the slow transaction started writing.
      await slow.others.appendToStream(`${category}-before`, events(1));
      await slow.begin();
      const slowAppend = await slow.store.appendToStream(`${category}-slow`, [event('Slow')]);
      await slow.detach();
      const fast: RecordedEvent[] = [];
      for (let index = 0; index < 5; index += 1) {
        fast.push(...(await slow.others.appendToStream(`${category}-fast${index}`, [event('Fast', { index })])).events);
      }
      // The fast events are committed and readable by stream, and sit after the slow one by position:
      // a reader tailing by position alone would move past the slow event and never see it.
      for (const recorded of fast) {
        expect(await slow.others.readStream(recorded.streamId)).toHaveLength(1);
        expect(BigInt(recorded.position) > BigInt(slowAppend.events[0]!.position)).toBe(true);
        expect(BigInt(recorded.transactionId) > BigInt(slowAppend.events[0]!.transactionId)).toBe(true);
      }

      // Wait out transactions of other suites older than the slow one (transaction ids are cluster-wide).
      await settle(slow.othersSql, slowAppend.events[0]!.transactionId);
      const beforeCommit = await slow.others.readAll(LOG_START, { categories: [category] });
      expect(beforeCommit.map((recorded) => recorded.streamId)).toEqual([`${category}-before`]);
      const cursor = cursorOf(beforeCommit[0]!);
      // Asking again changes nothing while the slow transaction runs.
      expect(await slow.others.readAll(cursor, { categories: [category] })).toEqual([]);

      await slow.commit();
      await settle(slow.othersSql);
      const afterCommit = await slow.others.readAll(cursor, { categories: [category] });
      expect(afterCommit.map((recorded) => recorded.position)).toEqual([slowAppend.events[0]!.position, ...fast.map((recorded) => recorded.position)]);
      expectLogOrder(afterCommit);
      expect(await slow.others.readAll(cursorOf(afterCommit[afterCommit.length - 1]!), { categories: [category] })).toEqual([]);
    } finally {
      await slow.close();
    }
  }, 180_000);
});
