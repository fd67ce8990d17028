import { AsyncQueue } from '../../shared/live/async-queue.js';

/**
 * Coalesces a burst into at most one output per `intervalMs`, never dropping the last input: the
 * first input after a quiet interval is emitted at once (leading edge); inputs arriving during the
 * interval only replace the pending one, which is emitted when the interval ends (trailing edge).
 * So a burst of N events costs at most ⌈duration / interval⌉ + 1 emissions and the final emission
 * always follows the latest input. `emit` turns the latest input into the item (or undefined to
 * skip); it runs one at a time.
 */
export function coalesceLatest<T, U>(
  source: AsyncIterableIterator<T>,
  intervalMs: number,
  emit: (latest: T) => Promise<U | undefined>,
): AsyncIterableIterator<U> {
  const output = new AsyncQueue<U>();
  let pending: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing = false;
  let sourceEnded = false;
  let stopped = false;
  let lastEmitAt = Number.NEGATIVE_INFINITY;

  const finish = (error?: unknown) => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    void source.return?.();
    output.close(error);
  };

  const schedule = () => {
    if (stopped || !pending || timer || flushing) return;
    const wait = Math.max(0, lastEmitAt + intervalMs - Date.now());
    timer = setTimeout(() => void flush(), wait);
  };

  const flush = async () => {
    timer = undefined;
    const latest = pending;
    if (!latest || stopped) return;
    pending = undefined;
    flushing = true;
    try {
      const item = await emit(latest.value);
      if (item !== undefined && !stopped) output.push(item);
      // The interval counts from when the item left, so consumers see items at least that far apart.
      lastEmitAt = Date.now();
    } catch (error) {
      flushing = false;
      finish(error);
      return;
    }
    flushing = false;
    if (sourceEnded && !pending) finish();
    else schedule();
  };

  void (async () => {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done || stopped) break;
        pending = { value: next.value };
        schedule();
      }
    } catch (error) {
      finish(error);
      return;
    }
    sourceEnded = true;
    if (!pending && !flushing && !timer) finish();
  })();

  const iterator: AsyncIterableIterator<U> = {
    next: () => output.next(),
    return: async () => {
      finish();
      return output.return();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
