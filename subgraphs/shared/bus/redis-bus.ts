import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RecordedEvent } from '../event-store/contract.js';
import type { BusHandler, EventBus } from './contract.js';
import { groupByCategory } from './group-by-category.js';
import { decodeEvents, encodeEvents, type WireEvent } from './serialization.js';

export interface RedisBusOptions {
  readonly url: string;
  /** Channel prefix, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly onError?: (error: Error) => void;
}

/** Ends the origin tag that starts every message; JSON text never holds a raw newline. */
const NEWLINE = 0x0a;

/**
 * Redis pub/sub bus: one channel per stream category, one message per published batch and category.
 * Publishing fails fast while Redis is down (no offline queue) so the publisher keeps the events
 * and retries; the subscriber connection reconnects and resubscribes by itself.
 *
 * Each message starts with the tag of the bus that sent it. What this process publishes reaches its
 * own handlers directly once Redis has taken it; the copy Redis sends back is recognised by its tag
 * and dropped unread (never decoded), so a process's own events cost no round trip and no parse of
 * the message text.
 */
export class RedisBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly handlers = new Map<string, Set<BusHandler>>();
  /** This bus's tag, the first bytes of each message it publishes. */
  private readonly origin = Buffer.from(`${randomBytes(9).toString('base64url')}\n`);
  private readonly originText = this.origin.toString();
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
    // Buffers, not strings: our own messages are recognised by their first bytes and never decoded.
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.received(channel, message));
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

  /** A message from Redis: another process's is decoded and delivered, our own was delivered already. */
  private received(channel: Buffer, message: Buffer): void {
    if (message.length > this.origin.length && message.subarray(0, this.origin.length).equals(this.origin)) return;
    const category = channel.toString().slice(`${this.prefix}:events:`.length);
    const handlers = this.handlers.get(category);
    if (!handlers || handlers.size === 0) return;
    const body = message.indexOf(NEWLINE) + 1;
    this.deliver(handlers, decodeEvents(message.toString('utf8', body)));
  }

  private deliver(handlers: ReadonlySet<BusHandler>, events: readonly RecordedEvent[]): void {
    for (const event of events) for (const handler of handlers) handler(event);
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
    const messages = groupByCategory(events).map(([category, group]) => [category, encodeEvents(group)] as const);
    for (const [category, body] of messages) pipeline.publish(this.channel(category), this.originText + body);
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error !== null);
    if (failure?.[0]) throw failure[0];
    // Redis has them, so other processes do: now this process's own subscribers, in the same order.
    for (const [category, body] of messages) {
      const handlers = this.handlers.get(category);
      if (handlers && handlers.size > 0) this.deliver(handlers, decodeEvents(body));
    }
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
