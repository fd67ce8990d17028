import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitNoticeChannel, EventBus } from '../../subgraphs/shared/bus/contract.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { streamChanges, type StreamChange } from '../../subgraphs/shared/live/stream-changes.js';
import { EventPublisher } from '../../subgraphs/shared/publisher/publisher.js';
import { createTestBus, createTestDatabase, type TestDatabase } from '../support/environment.js';
import { HOOK_TIMEOUT_MS, uniqueCategory, waitFor } from './helpers.js';

let testDb: TestDatabase;
let sql: SqlClient;
let store: SqlEventStore;
let bus: EventBus & CommitNoticeChannel;
let publisher: EventPublisher;

beforeAll(async () => {
  testDb = await createTestDatabase({ maxConnections: 10 });
  sql = testDb.database.sql;
  store = new SqlEventStore(sql);
  bus = createTestBus();
  if (bus instanceof RedisBus) await bus.ready();
  publisher = new EventPublisher({ sql, bus, pollIntervalMs: 25 });
  publisher.start();
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await publisher?.stop();
  await bus?.close();
  await testDb?.drop();
}, HOOK_TIMEOUT_MS);

const append = async (streamId: string, count: number) =>
  (
    await store.appendToStream(
      streamId,
      Array.from({ length: count }, (_, index) => ({ type: 'Changed', data: { index } })),
    )
  ).events;

describe('streamChanges', () => {
  it('merges what arrives while the consumer is busy into the latest change', async () => {
    const streamId = `${uniqueCategory()}-1`;
    const changes = await streamChanges(store, bus, { streamId });
    // A second follower of the stream, subscribed after the first: once the last event reached
    // it, the bus has handed that event to the first one too.
    const probe = await streamChanges(store, bus, { streamId });
    const events = await append(streamId, 50);
    publisher.wake();
    for (let change = await probe.next(); change.value?.position !== events[49]!.position; change = await probe.next()) {
      expect(change.done).toBe(false);
    }
    await probe.return?.();
    // 50 events arrived unread: one item, the last of them.
    const first = await changes.next();
    expect(first).toEqual({ done: false, value: expect.objectContaining({ streamId, position: events[49]!.position }) });
    // Nothing else is pending: the next item is the sentinel, a later event, and not a leftover.
    const next = changes.next();
    const [sentinel] = await append(streamId, 1);
    publisher.wake();
    expect(await next).toEqual({ done: false, value: expect.objectContaining({ streamId, position: sentinel!.position }) });
    // A consumer still waiting when the iterator ends is told it is done.
    const last = changes.next();
    await changes.return?.();
    expect(await last).toEqual({ done: true, value: undefined });
  });

  it('yields a commit notice before the publisher has the events, and only changes of its stream', async () => {
    const category = uniqueCategory();
    const streamId = `${category}-1`;
    const changes = await streamChanges(store, bus, { streamId });
    const received: StreamChange[] = [];
    const consuming = (async () => {
      for (;;) {
        const item = await changes.next();
        if (item.done) return;
        received.push(item.value);
      }
    })();
    await bus.announce([{ streamId: `${category}-2`, position: '1' }]);
    await bus.announce([{ streamId, position: '2' }]);
    await waitFor(() => received.length > 0, 5_000, 'the notice');
    expect(received).toEqual([{ streamId, position: '2' }]);
    await changes.return?.();
    await consuming;
  });

  it('replays the events after a resume position, merged into the latest change it could read', async () => {
    const streamId = `${uniqueCategory()}-1`;
    const events = await append(streamId, 5);
    publisher.wake();
    const changes = await streamChanges(store, bus, { streamId, after: events[1]!.position });
    // The replay reads up to the log's commit-safe horizon, which a transaction running anywhere on
    // the server can hold back: then the rest follows live, as later changes.
    const positions: string[] = [];
    while (positions.at(-1) !== events[4]!.position) {
      const change = await changes.next();
      expect(change.value).toMatchObject({ streamId });
      positions.push(change.value!.position);
    }
    expect(BigInt(positions[0]!)).toBeGreaterThan(BigInt(events[1]!.position));
    expect(positions.map(BigInt)).toEqual([...positions.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
    await changes.return?.();
  });
});
