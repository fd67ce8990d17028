/** How one queued item turned out. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

interface Queued<Item, Result> {
  readonly item: Item;
  readonly batchable: boolean;
  resolve(value: Result): void;
  reject(error: unknown): void;
}

/**
 * Work queued per key (a stream) and run one batch at a time per key, in arrival order: what
 * arrives while a batch runs waits, and the next batch takes it all at once (up to `maxBatch`
 * consecutive batchable items; an item that cannot share a batch runs alone). Commands on a hot
 * stream wait here rather than each holding a pooled connection while it waits for the stream's
 * lock, and a burst of them costs a few transactions instead of one each.
 */
export class StreamBatches<Item, Result> {
  private readonly queues = new Map<string, Array<Queued<Item, Result>>>();

  constructor(
    private readonly run: (key: string, items: readonly Item[]) => Promise<ReadonlyArray<Settled<Result>>>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, item: Item, batchable: boolean): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(key);
      const entry = { item, batchable, resolve, reject };
      if (queue) {
        queue.push(entry);
        return;
      }
      this.queues.set(key, [entry]);
      void this.drain(key);
    });
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.queues.size;
  }

  private async drain(key: string): Promise<void> {
    // Commands sent in the same turn of the event loop (a sweep's) share the first batch.
    await Promise.resolve();
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = this.takeBatch(queue);
      let settled: ReadonlyArray<Settled<Result>>;
      try {
        settled = await this.run(
          key,
          batch.map((entry) => entry.item),
        );
      } catch (error) {
        settled = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((entry, index) => {
        const outcome = settled[index];
        if (outcome?.ok) entry.resolve(outcome.value);
        else entry.reject(outcome ? outcome.error : new Error('batch returned no outcome'));
      });
    }
    this.queues.delete(key);
  }

  private takeBatch(queue: Array<Queued<Item, Result>>): Array<Queued<Item, Result>> {
    if (!queue[0]!.batchable) return queue.splice(0, 1);
    let count = 1;
    while (count < queue.length && count < this.maxBatch && queue[count]!.batchable) count += 1;
    return queue.splice(0, count);
  }
}
