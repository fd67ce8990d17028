import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusHandler, EventBus } from '../../subgraphs/shared/bus/contract.js';
import type { RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { LiveFeed } from '../../subgraphs/shared/live/live-feed.js';
import { commitSafeHead } from '../../subgraphs/shared/live/log-head.js';
import { backend } from '../support/environment.js';
import { collect, startLiveProcesses, type LiveProcess, type LiveProcesses } from '../support/live-processes.js';
import { untilSentinel } from '../support/sentinel.js';
import { HOOK_TIMEOUT_MS, expectLogOrder, settle, sleep, uniqueCategory, waitFor } from './helpers.js';

let two: LiveProcesses;
beforeAll(async () => {
  two = await startLiveProcesses(2);
  await waitFor(() => two.processes.some((replica) => replica.publisher.leading), 30_000, 'a publisher to lead');
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  await two?.close();
}, HOOK_TIMEOUT_MS);

async function append(replica: LiveProcess, streamId: string, index: number): Promise<RecordedEvent> {
  const [event] = (await replica.store.appendToStream(streamId, [{ type: 'Changed', data: { index } }])).events;
  replica.publisher.wake();
  return event!;
}

/** A bus that loses the events `lose` picks without telling anyone (no gap signal). */
function lossyBus(inner: EventBus, lose: (event: RecordedEvent) => boolean): EventBus {
  return {
    publish: (runs) => inner.publish(runs),
    subscribe: (category, handler: BusHandler, options) => inner.subscribe(category, (event) => (lose(event) ? undefined : handler(event)), options),
    close: () => inner.close(),
  };
}

describe('live streams whatever the bus does', () => {
  it(
    'bus subscribers cut off 5 times in 20 s during 600 events: every subscriber in both processes gets all of them in order, once, for a category follower and a stream follower',
    { timeout: 180_000 },
    async () => {
      const { processes, leader, interrupt } = two;
      const category = uniqueCategory('stock');
      const other = uniqueCategory('product');
      const hot = `${category}-hot`;
      const seed = await append(processes[0]!, `${other}-seed`, -1);
      await settle(processes[0]!.sql);

      // What each replica's bus itself delivers, to show that messages were lost.
      const raw = processes.map(() => new Set<string>());
      for (const [index, replica] of processes.entries()) {
        for (const name of [category, other]) await replica.bus.subscribe(name, (event) => raw[index]!.add(event.position));
      }
      const followers = await Promise.all(
        processes.map(async (replica) => ({
          // inventoryEvents: several categories, resuming after a position.
          categories: collect(await replica.feed.events({ categories: [other, category], after: seed.position })),
          // stockLevelChanged: one stream of a category, from now on.
          stream: collect(await replica.feed.events({ categories: [category], stream: hot, filter: (event) => event.streamId === hot })),
        })),
      );

      const total = 600;
      const startedAt = Date.now();
      let appended = 0;
      const appendNext = async () => {
        const index = appended;
        appended += 1;
        const streamId = index % 3 === 0 ? hot : index % 3 === 1 ? `${category}-cold` : `${other}-${index % 5}`;
        return append(processes[index % 2]!, streamId, index);
      };
      const cuts = (async () => {
        for (let cut = 0; cut < 5; cut += 1) {
          // The cuts are spread over the 20 s of appends on purpose: when they happen is the test.
          await sleep(Math.max(0, startedAt + 2_000 + cut * 4_000 - Date.now()));
          if (cut % 2 === 1) {
            // Every subscriber down at once for a moment (an outage lasts some time).
            await interrupt(processes, () => sleep(300));
            continue;
          }
          // Only the processes that do not publish: they miss what the leader publishes meanwhile
          // (three events at least, published for sure before they are back).
          const publishing = leader();
          await interrupt(
            processes.filter((replica) => replica !== publishing),
            async () => {
              const before = publishing.publisher.publishedCount;
              let extra = 0;
              for (; extra < 3 && appended < total; extra += 1) await appendNext();
              publishing.publisher.wake();
              await waitFor(() => publishing.publisher.publishedCount >= before + extra, 20_000, 'the leader to publish');
            },
          );
        }
      })();
      while (appended < total) {
        // Appends paced evenly over 20 s, so the cuts fall in the middle of the traffic.
        await sleep(Math.max(0, startedAt + (appended * 20_000) / total - Date.now()));
        if (appended < total) await appendNext();
      }
      await cuts;

      await settle(processes[0]!.sql);
      const logged = await processes[0]!.store.readAll((await processes[0]!.store.cursorAt(seed.position))!, { categories: [category, other], limit: 10_000 });
      expect(logged).toHaveLength(total);
      const hotEvents = logged.filter((event) => event.streamId === hot);
      // A sentinel on the hot stream, after everything: both kinds of follower get it, and with
      // it everything before it, so a duplicate or a stray event would be among what came first.
      const sentinel = await append(processes[0]!, hot, total);
      const isSentinel = (event: RecordedEvent) => event.position === sentinel.position;
      for (const [index, follower] of followers.entries()) {
        const categories = await untilSentinel(follower.categories.received, () => undefined, isSentinel, {
          timeoutMs: 60_000,
          what: `replica ${index}'s category follower`,
        });
        const stream = await untilSentinel(follower.stream.received, () => undefined, isSentinel, {
          timeoutMs: 60_000,
          what: `replica ${index}'s stream follower`,
        });
        await follower.categories.stop();
        await follower.stream.stop();
        expect(categories.map((event) => event.position)).toEqual(logged.map((event) => event.position));
        expectLogOrder(categories);
        expect(stream.map((event) => event.version)).toEqual(hotEvents.map((event) => event.version));
        expect(stream.map((event) => event.position)).toEqual(hotEvents.map((event) => event.position));
      }
      // The bus did lose messages: the subscribers above made up for them from the store.
      const heard = raw.map((positions) => logged.filter((event) => positions.has(event.position)).length);
      expect(Math.min(...heard)).toBeLessThan(total);
    },
  );

  it('a follower that hears nothing while the log moves past it reads the store', { timeout: 60_000 }, async () => {
    const { processes } = two;
    const replica = processes[0]!;
    const category = uniqueCategory('quiet');
    let losing = false;
    const feed = new LiveFeed({
      store: replica.store,
      bus: lossyBus(replica.bus, () => losing),
      head: () => commitSafeHead(replica.sql),
      limits: { quietMs: 300 },
    });
    try {
      const follower = collect(await feed.events({ categories: [category] }));
      const first = await append(replica, `${category}-1`, 0);
      await waitFor(() => follower.received.length === 1, 20_000, 'the first event');
      losing = true;
      const lost = [await append(replica, `${category}-1`, 1), await append(replica, `${category}-2`, 2)];
      await waitFor(() => follower.received.length === 3, 20_000, 'the events the bus lost');
      losing = false;
      const after = await append(replica, `${category}-2`, 3);
      await waitFor(() => follower.received.length === 4, 20_000, 'the next live event');
      await follower.stop();
      expect(follower.received.map((event) => event.position)).toEqual([first, ...lost, after].map((event) => event.position));
    } finally {
      feed.close();
    }
  });

  it('a stream follower whose stream skips a version reads the missing events from the store', { timeout: 60_000 }, async () => {
    const { processes } = two;
    const replica = processes[0]!;
    const category = uniqueCategory('stock');
    const streamId = `${category}-1`;
    // The bus loses the stream's third event silently; the fourth shows the gap.
    const feed = new LiveFeed({ store: replica.store, bus: lossyBus(replica.bus, (event) => event.streamId === streamId && event.version === 3) });
    try {
      const follower = collect(await feed.events({ categories: [category], stream: streamId, filter: (event) => event.streamId === streamId }));
      const appended: RecordedEvent[] = [];
      for (let index = 0; index < 6; index += 1) appended.push(await append(replica, streamId, index));
      // The sentinel, version 7 of the stream: a duplicate or a stray version would come before it.
      const received = await untilSentinel(
        follower.received,
        () => append(replica, streamId, 6),
        (event) => event.version === 7,
      );
      await follower.stop();
      expect(received.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(received.map((event) => event.position)).toEqual(appended.map((event) => event.position));
    } finally {
      feed.close();
    }
  });

  it('tells each subscription once when its bus listens again after losing its connection', { timeout: 60_000 }, async () => {
    const { processes, interrupt } = two;
    const [cut, spared] = processes;
    const gaps = { cut: 0, spared: 0 };
    const heard = { cut: new Set<string>(), spared: new Set<string>() };
    const category = uniqueCategory();
    const unsubscribes = [
      await cut!.bus.subscribe(category, (event) => void heard.cut.add(event.position), { onGap: () => (gaps.cut += 1) }),
      await spared!.bus.subscribe(category, (event) => void heard.spared.add(event.position), { onGap: () => (gaps.spared += 1) }),
    ];
    // One cut, the connection back at once.
    await interrupt([cut!], async () => undefined);
    await waitFor(() => gaps.cut === 1, 20_000, 'the gap signal');
    // A sentinel event both subscriptions hear: the cut one has listened again for good by then,
    // and any further gap signal of this cut would have come first.
    const sentinel = await append(cut!, `${category}-sentinel`, 0);
    await waitFor(() => heard.cut.has(sentinel.position) && heard.spared.has(sentinel.position), 20_000, 'the sentinel on both buses');
    // Embedded, both processes share one bus: both were cut.
    expect(gaps).toEqual({ cut: 1, spared: backend.redisUrl ? 0 : 1 });
    for (const unsubscribe of unsubscribes) await unsubscribe();
  });
});
