import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RecordedEvent } from '../event-store/contract.js';
import type { BusHandler, EventBus } from './contract.js';
import { decodeEvents, type EncodedRun } from './serialization.js';

export interface RedisBusOptions {
  readonly url: string;
  /** Channel prefix, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly onError?: (error: Error) => void;
}

/** `text` matched literally inside a Redis glob pattern. */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, (special) => `\\${special}`);

/**
 * Redis pub/sub bus: one message per published run (consecutive events of one stream category).
 * Publishing fails fast while Redis is down (no offline queue) so the publisher keeps the events
 * and retries; the subscriber connection reconnects and resubscribes by itself.
 *
 * A bus publishes on `<prefix>:events:<category>:<origin>`, its origin a random tag of its own, and
 * listens to `<prefix>:events:<category>:*`. What this process publishes reaches its own handlers
 * directly once Redis has taken it; the copy Redis sends back is recognised by its channel and
 * dropped unread, so a process's own events cost no round trip and no decoding of the message.
 */
export class RedisBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly handlers = new Map<string, Set<BusHandler>>();
  /** Ends the channel of every message this bus publishes. */
  private readonly origin = `:${randomBytes(9).toString('base64url')}`;
  private readonly originBytes = Buffer.from(this.origin);
  /** Category of each pattern listened to. */
  private readonly categoryOfPattern = new Map<string, string>();
  /**
   * False from the moment the subscriber connection drops until it has subscribed again: meanwhile
   * publishing fails and the publisher retries, so this process publishes only while it also hears
   * the other processes (ioredis announces `ready` before its automatic resubscription is done).
   * Its own events reach its own handlers directly either way.
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
    // Buffers, not strings: our own messages are recognised by their channel and never decoded.
    this.subscriber.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) => this.received(pattern, channel, message));
    this.subscriber.on('close', () => {
      this.subscriberLive = false;
    });
    this.subscriber.on('ready', () => {
      const patterns = [...this.handlers.keys()].map((category) => this.pattern(category));
      if (patterns.length === 0) {
        this.subscriberLive = true;
        return;
      }
      // Confirms the resubscription: once Redis answered, every pattern is listened to again.
      this.subscriber.psubscribe(...patterns).then(
        () => {
          if (this.subscriber.status === 'ready') this.subscriberLive = true;
        },
        () => undefined,
      );
    });
  }

  /** Where this bus publishes the events of `category`. */
  private channel(category: string): string {
    return `${this.prefix}:events:${category}${this.origin}`;
  }

  /** Every bus's channel of `category`. */
  private pattern(category: string): string {
    return `${globLiteral(`${this.prefix}:events:${category}`)}:*`;
  }

  /** A message from Redis: another process's is decoded and delivered, our own was delivered already. */
  private received(pattern: string, channel: Buffer, message: Buffer): void {
    if (channel.length >= this.originBytes.length && channel.subarray(channel.length - this.originBytes.length).equals(this.originBytes)) return;
    const category = this.categoryOfPattern.get(pattern);
    const handlers = category === undefined ? undefined : this.handlers.get(category);
    if (!handlers || handlers.size === 0) return;
    this.deliver(handlers, decodeEvents(message.toString()));
  }

  private deliver(handlers: ReadonlySet<BusHandler>, events: readonly RecordedEvent[]): void {
    for (const event of events) for (const handler of handlers) handler(event);
  }

  /** Resolves once the publishing connection is usable (startup, tests). */
  async ready(): Promise<void> {
    if (this.publisher.status === 'ready') return;
    await new Promise<void>((resolve) => this.publisher.once('ready', () => resolve()));
  }

  async publish(runs: readonly EncodedRun[]): Promise<void> {
    if (runs.length === 0) return;
    if (!this.subscriberLive && this.handlers.size > 0) throw new Error('redis subscriber connection is not subscribed yet');
    const pipeline = this.publisher.pipeline();
    for (const run of runs) pipeline.publish(this.channel(run.category), run.json);
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error !== null);
    if (failure?.[0]) throw failure[0];
    // Redis has them, so other processes do: now this process's own subscribers, in the same order.
    for (const run of runs) {
      const handlers = this.handlers.get(run.category);
      if (handlers && handlers.size > 0) this.deliver(handlers, decodeEvents(run.json));
    }
  }

  async subscribe(category: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.handlers.get(category);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(category, handlers);
      this.categoryOfPattern.set(this.pattern(category), category);
      await this.subscriber.psubscribe(this.pattern(category));
    }
    const entry: BusHandler = (event) => handler(event);
    handlers.add(entry);
    return async () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.handlers.get(category) === handlers) {
        this.handlers.delete(category);
        this.categoryOfPattern.delete(this.pattern(category));
        await this.subscriber.punsubscribe(this.pattern(category)).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.categoryOfPattern.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
