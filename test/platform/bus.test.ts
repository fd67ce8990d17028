import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommitNotice, CommitNoticeChannel, EventBus } from '../../subgraphs/shared/bus/contract.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import { encodeRuns } from '../../subgraphs/shared/bus/serialization.js';
import type { RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { backend, createTestBus } from '../support/environment.js';
import { untilSentinel } from '../support/sentinel.js';

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

    // Sentinels published after, on both categories: a duplicate or a stray event would come first.
    const sentinels = [recorded(category, 6), recorded(`${category}x`, 7)];
    const isSentinel = (event: RecordedEvent) => sentinels.some((sentinel) => sentinel.position === event.position);
    const publishingBefore = await untilSentinel(received.publishing, () => publishing.publish(encodeRuns(sentinels)), isSentinel);
    expect(publishingBefore).toEqual(events);
    expect(await untilSentinel(received.other, () => undefined, isSentinel)).toEqual(events);
    expect(await untilSentinel(received.otherCategory, () => undefined, isSentinel)).toEqual([]);
  });

  it('hands commit notices to this process at once and to the others through the bus, by category', async () => {
    const prefix = `tributary-test-${randomUUID()}`;
    const announcing = await openBus(prefix);
    const other = backend.redisUrl ? await openBus(prefix) : announcing;
    const category = `notice${randomUUID().slice(0, 8)}`;
    const received = { announcing: [] as CommitNotice[], other: [] as CommitNotice[], otherCategory: [] as CommitNotice[], events: [] as RecordedEvent[] };
    await announcing.subscribeNotices(category, (notice) => received.announcing.push(notice));
    await other.subscribeNotices(category, (notice) => received.other.push(notice));
    await other.subscribeNotices(`${category}x`, (notice) => received.otherCategory.push(notice));
    await other.subscribe(category, (event) => received.events.push(event));

    const notices = [
      { streamId: `${category}-a`, position: '41' },
      { streamId: `${category}-b`, position: '42' },
    ];
    const sent = announcing.announce(notices);
    // Before Redis is even asked: the announcing process's own subscribers have them.
    expect(received.announcing).toEqual(notices);
    await sent;
    // Sentinel notices on both categories and a sentinel event, sent after: anything else the
    // notices caused (a duplicate, a stray notice, an event) would arrive before them.
    const sentinelNotices = [
      { streamId: `${category}-sentinel`, position: '43' },
      { streamId: `${category}x-sentinel`, position: '44' },
    ];
    const isSentinel = (notice: CommitNotice) => notice.streamId.endsWith('-sentinel');
    await announcing.announce(sentinelNotices);
    const sentinelEvent = recorded(category, 45);
    const events = await untilSentinel(
      received.events,
      () => announcing.publish(encodeRuns([sentinelEvent])),
      (event) => event.position === sentinelEvent.position,
    );
    expect(await untilSentinel(received.announcing, () => undefined, isSentinel)).toEqual(notices);
    expect(await untilSentinel(received.other, () => undefined, isSentinel)).toEqual(notices);
    expect(await untilSentinel(received.otherCategory, () => undefined, isSentinel)).toEqual([]);
    expect(events).toEqual([]);
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
