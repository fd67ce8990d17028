interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: unknown): void;
}

/**
 * A push → pull queue that ends when closed. Subscriptions use it to turn bus callbacks into an
 * async iterator that GraphQL can consume. It holds whatever is pushed: a producer that must stay
 * within a bound checks `size` first (see LiveFeed).
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: Waiter<T> | undefined;
  private closed = false;
  /** Boxed, so that a falsy or `undefined`-like error is still told apart from none. */
  private failure: { readonly error: unknown } | undefined;

  push(item: T): void {
    if (this.closed) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the iterator after the queued items; with an error, the consumer receives it once. */
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    if (!waiter) {
      if (error !== undefined) this.failure = { error };
      return;
    }
    if (error === undefined) waiter.resolve({ value: undefined, done: true });
    else waiter.reject(error);
  }

  /** Ends at once: queued items are dropped and the consumer's next call rejects with `error`. */
  fail(error: unknown): void {
    this.items.length = 0;
    this.close(error);
  }

  get size(): number {
    return this.items.length;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.closed) {
      const failure = this.failure;
      this.failure = undefined;
      return failure === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(failure.error);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    this.items.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
