import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitNotice, CommitNoticeChannel, EventBus } from '../../subgraphs/shared/bus/contract.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import { encodeRuns } from '../../subgraphs/shared/bus/serialization.js';
import type { RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { backend, createTestBus } from '../support/environment.js';
import { sleep, waitFor } from './helpers.js';

const buses: Array<EventBus & CommitNoticeChannel> = [];

afterAll(async () => {
  for (const bus of buses) await bus.close();
});

async function openBus(prefix: string): Promise<EventBus & CommitNoticeChannel> {
  const bus = createTestBus(prefix);
  if (bus instanceof RedisBus) await bus.ready();
  buses.push(bus);
  return bus;
}

const recorded = (category: string, position: number, data: unknown = { position }): RecordedEvent => ({
  position: String(position),
  transactionId: String(1000 + position),
  streamId: `${category}-${position % 3}`,
  version: position,
  type: 'Happened',
  data,
  metadata: { correlationId: `corr-${position}` },
  occurredAt: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, position)),
});

describe('event bus', () => {
  it('delivers a published batch once to every subscriber of its category, in order, on the publishing bus and on another one', async () => {
    const prefix = `tributary-test-${randomUUID()}`;
    const publishing = await openBus(prefix);
    // With Redis, a second bus stands for another process; the in-process bus is one process.
    const other = backend.redisUrl ? await openBus(prefix) : publishing;
    const category = `bus${randomUUID().slice(0, 8)}`;
    const received = { publishing: [] as RecordedEvent[], other: [] as RecordedEvent[], otherCategory: [] as RecordedEvent[] };
    await publishing.subscribe(category, (event) => received.publishing.push(event));
    await other.subscribe(category, (event) => received.other.push(event));
    await other.subscribe(`${category}x`, (event) => received.otherCategory.push(event));

    const events = [1, 2, 3, 4, 5].map((position) => recorded(category, position, { text: 'zürich ✓ "quoted"\nline', position }));
    await publishing.publish(encodeRuns(events));

    await waitFor(() => received.publishing.length === 5 && received.other.length === 5);
    await sleep(100); // room for any duplicate to arrive
    expect(received.publishing).toEqual(events);
    expect(received.other).toEqual(events);
    expect(received.otherCategory).toEqual([]);
  });

  it('hands commit notices to this process at once and to the others through the bus, by category', async () => {
    const prefix = `tributary-test-${randomUUID()}`;
    const announcing = await openBus(prefix);
    const other = backend.redisUrl ? await openBus(prefix) : announcing;
    const category = `notice${randomUUID().slice(0, 8)}`;
    const received = { announcing: [] as CommitNotice[], other: [] as CommitNotice[], otherCategory: [] as CommitNotice[], events: 0 };
    await announcing.subscribeNotices(category, (notice) => received.announcing.push(notice));
    await other.subscribeNotices(category, (notice) => received.other.push(notice));
    await other.subscribeNotices(`${category}x`, (notice) => received.otherCategory.push(notice));
    await other.subscribe(category, () => (received.events += 1));

    const notices = [
      { streamId: `${category}-a`, position: '41' },
      { streamId: `${category}-b`, position: '42' },
    ];
    const sent = announcing.announce(notices);
    // Before Redis is even asked: the announcing process's own subscribers have them.
    expect(received.announcing).toEqual(notices);
    await sent;
    await waitFor(() => received.other.length === 2);
    await sleep(100); // room for any duplicate to arrive
    expect(received.announcing).toEqual(notices);
    expect(received.other).toEqual(notices);
    expect(received.otherCategory).toEqual([]);
    expect(received.events).toBe(0);
  });

  it('stops handing notices to a handler once it unsubscribed', async () => {
    const bus = await openBus(`tributary-test-${randomUUID()}`);
    const category = `notice${randomUUID().slice(0, 8)}`;
    const kept: CommitNotice[] = [];
    const dropped: CommitNotice[] = [];
    await bus.subscribeNotices(category, (notice) => kept.push(notice));
    const unsubscribe = await bus.subscribeNotices(category, (notice) => dropped.push(notice));
    await unsubscribe();
    await bus.announce([{ streamId: `${category}-a`, position: '7' }]);
    expect(kept).toHaveLength(1);
    expect(dropped).toEqual([]);
  });
});
