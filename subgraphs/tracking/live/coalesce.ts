/**
 * Coalesces a burst into at most one output per `intervalMs`, never dropping the last input.
 *
 * Pull-based: the source is drained in the background and only its latest input is kept; an item is
 * made (by `emit`, one at a time) only when the consumer asks for one. The interval counts from the
 * moment the consumer comes back for more, i.e. after it has handled (sent) the previous item, so a
 * slow consumer never receives two items back to back. The first input after a quiet interval is
 * emitted at once (leading edge); later inputs of a burst replace the pending one, which is emitted
 * when the interval ends (trailing edge), so the final item always follows the latest input.
 * `emit` may return undefined to skip an input.
 */
export function coalesceLatest<T, U>(
  source: AsyncIterableIterator<T>,
  intervalMs: number,
  emit: (latest: T) => Promise<U | undefined>,
): AsyncIterableIterator<U> {
  let pending: { value: T } | undefined;
  let sourceEnded = false;
  let sourceFailure: { error: unknown } | undefined;
  let stopped = false;
  let handedOut = false;
  let earliestNextAt = Number.NEGATIVE_INFINITY;
  let wake: (() => void) | undefined;

  const signal = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  /** Resolves on the next source change or stop, or at `until` when given. */
  const pause = (until?: number) =>
    new Promise<void>((resolve) => {
      const timer = until === undefined ? undefined : setTimeout(signal, Math.max(0, until - Date.now()));
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });

  const stop = () => {
    if (stopped) return;
    stopped = true;
    signal();
    void source.return?.();
  };

  void (async () => {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done || stopped) break;
        pending = { value: next.value };
        signal();
      }
    } catch (error) {
      sourceFailure = { error };
    }
    sourceEnded = true;
    signal();
  })();

  const done: IteratorResult<U> = { value: undefined, done: true };

  const pull = async (): Promise<IteratorResult<U>> => {
    if (handedOut) {
      // The consumer is back for more, so it has dealt with the previous item: count from now.
      earliestNextAt = Date.now() + intervalMs;
      handedOut = false;
    }
    for (;;) {
      if (stopped) return done;
      if (sourceFailure) {
        stop();
        throw sourceFailure.error;
      }
      if (!pending) {
        if (sourceEnded) {
          stop();
          return done;
        }
        await pause();
        continue;
      }
      if (Date.now() < earliestNextAt) {
        await pause(earliestNextAt);
        continue;
      }
      const latest = pending;
      pending = undefined;
      let item: U | undefined;
      try {
        item = await emit(latest.value);
      } catch (error) {
        stop();
        throw error;
      }
      if (stopped) return done;
      if (item === undefined) continue;
      handedOut = true;
      return { value: item, done: false };
    }
  };

  // Calls are serialized, so a consumer that asks twice at once still gets items an interval apart.
  let queue: Promise<unknown> = Promise.resolve();
  const iterator: AsyncIterableIterator<U> = {
    next: () => {
      const result = queue.then(pull, pull);
      queue = result.catch(() => undefined);
      return result;
    },
    return: async () => {
      stop();
      return done;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
