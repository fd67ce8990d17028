import { GraphQLError, type ExecutionResult } from 'graphql';

/** How far behind a client may fall: queued results, and how long the oldest of them may wait. */
export interface BacklogLimits {
  readonly maxItems: number;
  readonly maxLagMs: number;
}

/**
 * What a client queue tells the shared subscription it belongs to. One object (the subscription)
 * serves all its clients, so a client costs no callbacks of its own.
 */
export interface ClientQueueOwner {
  /** The client left (`return()`): stop sending to it. */
  clientLeft(queue: ClientQueue): void;
  /** The client fell too far behind and its queue ended with SLOW_CONSUMER. */
  clientFellBehind(queue: ClientQueue): void;
  /** The client's stream is over (read to its end, or left); told once per client. */
  clientEnded(queue: ClientQueue): void;
}

/**
 * The results waiting for one client subscription, bounded: a client that falls further behind
 * than `maxItems` results, or leaves a result waiting longer than `maxLagMs`, is ended with
 * SLOW_CONSUMER instead of making the router hold its backlog. Pull-based: the transport reads
 * with `next()`. It is the iterator the transport reads, with its methods on the prototype:
 * an idle client subscription is this object and the promise its reader waits on.
 */
export class ClientQueue implements AsyncIterableIterator<ExecutionResult> {
  private readonly items: ExecutionResult[] = [];
  /** When each queued result was queued (performance.now()), in the same order. */
  private readonly queuedAt: number[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private closed = false;
  private ended = false;

  constructor(
    private readonly limits: BacklogLimits,
    private readonly owner: ClientQueueOwner,
    /** Told at once when the client falls too far behind (its transport may be blocked writing). */
    private readonly onFallBehind: (() => void) | undefined = undefined,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a result; false (and the queue ends with SLOW_CONSUMER) when the client is too far behind. */
  push(result: ExecutionResult): boolean {
    if (this.closed) return false;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ done: false, value: result });
      return true;
    }
    const now = performance.now();
    if (this.items.length >= this.limits.maxItems || (this.queuedAt.length > 0 && now - this.queuedAt[0]! > this.limits.maxLagMs)) {
      // What is queued is dropped: the client resumes from the last position it received.
      this.items.length = 0;
      this.queuedAt.length = 0;
      this.items.push(slowConsumer());
      this.queuedAt.push(now);
      this.closed = true;
      this.owner.clientFellBehind(this);
      this.onFallBehind?.();
      return false;
    }
    this.items.push(result);
    this.queuedAt.push(now);
    return true;
  }

  /** Ends the queue once what is queued (and `last`, if given) has been read. */
  close(last?: ExecutionResult): void {
    if (this.closed) return;
    this.closed = true;
    if (this.waiting) {
      // Nothing is queued while a reader waits.
      const wake = this.waiting;
      this.waiting = undefined;
      if (last) wake({ done: false, value: last });
      else wake(this.end());
      return;
    }
    if (last) {
      this.items.push(last);
      this.queuedAt.push(performance.now());
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const item = this.items.shift();
    this.queuedAt.shift();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.closed) return Promise.resolve(this.end());
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.items.length = 0;
    this.queuedAt.length = 0;
    this.close();
    this.owner.clientLeft(this);
    return Promise.resolve(this.end());
  }

  /** The final iterator result; the owner learns of the end the first time. */
  private end(): IteratorResult<ExecutionResult> {
    if (!this.ended) {
      this.ended = true;
      this.owner.clientEnded(this);
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}

/** The last result of a client that fell too far behind. */
export function slowConsumer(): ExecutionResult {
  return {
    errors: [new GraphQLError('subscriber too slow; subscribe again with the last position received', { extensions: { code: 'SLOW_CONSUMER' } })],
  };
}
