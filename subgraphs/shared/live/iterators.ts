/** `source`, calling `onEnd` once the consumer stops it (after the source's own return). */
export function endingWith<T>(source: AsyncIterableIterator<T>, onEnd: () => void): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () => source.next(),
    return: async () => {
      try {
        return (await source.return?.()) ?? { value: undefined, done: true };
      } finally {
        onEnd();
      }
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Maps an async iterator, closing the source when the consumer stops. */
export function mapAsync<T, U>(source: AsyncIterableIterator<T>, map: (item: T) => Promise<U | undefined> | U | undefined): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        const item = await source.next();
        if (item.done) return { value: undefined, done: true };
        const mapped = await map(item.value);
        if (mapped !== undefined) return { value: mapped, done: false };
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
