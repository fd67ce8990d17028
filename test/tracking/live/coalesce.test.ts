import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../../subgraphs/shared/live/async-queue.js';
import { coalesceLatest } from '../../../subgraphs/tracking/live/coalesce.js';

// Time is this unit's subject (an interval): the waits below pace inputs and let intervals run out.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Drains an iterator into an array with arrival times, until it ends. */
async function drain<T>(iterator: AsyncIterableIterator<T>): Promise<Array<{ value: T; at: number }>> {
  const items: Array<{ value: T; at: number }> = [];
  for await (const value of iterator) items.push({ value, at: Date.now() });
  return items;
}

describe('coalesceLatest', () => {
  it('emits the first input at once and the latest input of a burst at the end of the interval', async () => {
    const source = new AsyncQueue<number>();
    const output = coalesceLatest(source, 100, async (latest) => latest);
    const started = Date.now();
    const drained = drain(output);
    for (let value = 1; value <= 50; value += 1) {
      source.push(value);
      await sleep(2);
    }
    const burstMs = Date.now() - started;
    await sleep(150);
    source.close();
    const items = await drained;
    // The first update leaves during the burst (the latest input when the consumer first pulled),
    // not at its end.
    expect(items[0]!.value).toBeLessThan(50);
    expect(items[items.length - 1]!.value).toBe(50);
    // The leading item, at most one per elapsed interval, and the trailing latest one (timers on a
    // busy machine fire late, never early, so only upper bounds on the count are safe).
    expect(items.length).toBeLessThanOrEqual(Math.ceil(burstMs / 100) + 2);
    expect(items.length).toBeLessThan(50);
    for (let index = 1; index < items.length; index += 1) expect(items[index]!.at - items[index - 1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('counts the interval from when a slow consumer comes back, so it never gets two items back to back', async () => {
    const source = new AsyncQueue<number>();
    const output = coalesceLatest(source, 100, async (latest) => latest);
    const gaps: number[] = [];
    const values: number[] = [];
    const consumed = (async () => {
      let backAt: number | undefined;
      for (;;) {
        const next = await output.next();
        if (next.done) return;
        if (backAt !== undefined) gaps.push(Date.now() - backAt);
        values.push(next.value);
        // Handling an item (sending it, say) takes longer than the interval.
        await sleep(150);
        backAt = Date.now();
      }
    })();
    for (let value = 1; value <= 60; value += 1) {
      source.push(value);
      await sleep(10);
    }
    source.close();
    await consumed;
    expect(values[values.length - 1]).toBe(60);
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(95);
  });

  it('emits the pending input when the source ends, then ends', async () => {
    const source = new AsyncQueue<string>();
    const output = coalesceLatest(source, 1_000, async (latest) => latest.toUpperCase());
    const drained = drain(output);
    source.push('a');
    await sleep(20);
    source.push('b');
    source.push('c');
    source.close();
    expect((await drained).map((item) => item.value)).toEqual(['A', 'C']);
  });

  it('skips what emit maps to undefined and propagates emit failures', async () => {
    const source = new AsyncQueue<number>();
    const output = coalesceLatest(source, 0, async (latest) => {
      if (latest === 3) throw new Error('boom');
      return latest % 2 === 0 ? undefined : latest;
    });
    const received: number[] = [];
    const done = (async () => {
      for await (const value of output) received.push(value);
    })();
    source.push(1);
    await sleep(10);
    source.push(2);
    await sleep(10);
    source.push(3);
    await expect(done).rejects.toThrow('boom');
    expect(received).toEqual([1]);
  });

  it('return() stops the source and pending timers', async () => {
    const source = new AsyncQueue<number>();
    let emitted = 0;
    const output = coalesceLatest(source, 50, async (latest) => {
      emitted += 1;
      return latest;
    });
    source.push(1);
    expect((await output.next()).value).toBe(1);
    source.push(2);
    await output.return!();
    await sleep(80);
    expect(emitted).toBe(1);
    expect((await output.next()).done).toBe(true);
  });
});
