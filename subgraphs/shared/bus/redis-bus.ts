import { Redis } from 'ioredis';
import type { BusHandler, EventBus } from './contract.js';
import { groupByCategory } from './group-by-category.js';
import { decodeEvents, encodeEvents, type WireEvent } from './serialization.js';

export interface RedisBusOptions {
  readonly url: string;
  /** Channel prefix, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly onError?: (error: Error) => void;
}

/**
 * Redis pub/sub bus: one channel per stream category, one message per published batch and category.
 * Publishing fails fast while Redis is down (no offline queue) so the publisher keeps the events
 * and retries; the subscriber connection reconnects and resubscribes by itself.
 */
export class RedisBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly handlers = new Map<string, Set<BusHandler>>();
  /**
   * False from the moment the subscriber connection drops until it has subscribed again: a message
   * published meanwhile would never reach this process's handlers, so publishing fails instead and
   * the publisher retries (ioredis announces `ready` before its automatic resubscription is done).
   */
  private subscriberLive = true;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'tributary';
    const onError = options.onError ?? (() => undefined);
    const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1000);
    this.publisher = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy, lazyConnect: false });
    // No ready check (INFO) on the subscriber: a SUBSCRIBE issued while the connection handshakes is
    // sent at once, and the INFO that followed it failed in subscriber mode and dropped the connection.
    this.subscriber = new Redis(options.url, { autoResubscribe: true, retryStrategy, maxRetriesPerRequest: null, enableReadyCheck: false });
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
    this.subscriber.on('close', () => {
      this.subscriberLive = false;
    });
    this.subscriber.on('ready', () => {
      const channels = [...this.handlers.keys()].map((category) => this.channel(category));
      if (channels.length === 0) {
        this.subscriberLive = true;
        return;
      }
      // Confirms the resubscription: once Redis answered, every channel is listened to again.
      this.subscriber.subscribe(...channels).then(
        () => {
          if (this.subscriber.status === 'ready') this.subscriberLive = true;
        },
        () => undefined,
      );
    });
  }

  private channel(category: string): string {
    return `${this.prefix}:events:${category}`;
  }

  private deliver(channel: string, message: string): void {
    const category = channel.slice(`${this.prefix}:events:`.length);
    const handlers = this.handlers.get(category);
    if (!handlers || handlers.size === 0) return;
    for (const event of decodeEvents(message)) for (const handler of handlers) handler(event);
  }

  /** Resolves once the publishing connection is usable (startup, tests). */
  async ready(): Promise<void> {
    if (this.publisher.status === 'ready') return;
    await new Promise<void>((resolve) => this.publisher.once('ready', () => resolve()));
  }

  async publish(events: readonly WireEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!this.subscriberLive && this.handlers.size > 0) throw new Error('redis subscriber connection is not subscribed yet');
    const pipeline = this.publisher.pipeline();
    for (const [category, group] of groupByCategory(events)) pipeline.publish(this.channel(category), encodeEvents(group));
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error !== null);
    if (failure?.[0]) throw failure[0];
  }

  async subscribe(category: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.handlers.get(category);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(category, handlers);
      await this.subscriber.subscribe(this.channel(category));
    }
    const entry: BusHandler = (event) => handler(event);
    handlers.add(entry);
    return async () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.handlers.get(category) === handlers) {
        this.handlers.delete(category);
        await this.subscriber.unsubscribe(this.channel(category)).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
