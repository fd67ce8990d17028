import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { streamCategory, type RecordedEvent } from '../event-store/contract.js';
import type { BusHandler, CommitNotice, CommitNoticeChannel, EventBus, NoticeHandler, SubscribeOptions } from './contract.js';
import { decodeEvents, type EncodedRun } from './serialization.js';
import { Subscribers } from './subscribers.js';

export interface RedisBusOptions {
  readonly url: string;
  /** Channel prefix, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  /** Names the connections `<name>:subscriber` and `<name>:publisher` in CLIENT LIST; the prefix by default. */
  readonly name?: string;
  readonly onError?: (error: Error) => void;
}

/** `text` matched literally inside a Redis glob pattern. */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, (special) => `\\${special}`);

/** A Redis client name (CLIENT SETNAME takes no spaces): which deployment and role a connection serves. */
const clientName = (name: string, role: string): string => `${name}:${role}`.replace(/[^\w:.-]/g, '_');

/** What a channel carries: runs of events (from the publisher) or commit notices. */
type Kind = 'events' | 'notices';

/**
 * Redis pub/sub bus: one message per published run (consecutive events of one stream category).
 * Publishing fails fast while Redis is down (no offline queue) so the publisher keeps the events
 * and retries; the subscriber connection reconnects and resubscribes by itself.
 *
 * A bus publishes on `<prefix>:events:<category>:<origin>`, its origin a random tag of its own, and
 * listens to `<prefix>:events:<category>:*`. What this process publishes reaches its own handlers
 * directly once Redis has taken it; the copy Redis sends back is recognised by its channel and
 * dropped unread, so a process's own events cost no round trip and no decoding of the message.
 * Commit notices go the same way on `<prefix>:notices:<category>:<origin>`, but reach this
 * process's own handlers first, before Redis is asked.
 *
 * When the subscriber connection drops, Redis forgets it and what is published meanwhile is lost
 * to it. From the drop until every pattern is confirmed subscribed again, events that arrive are
 * dropped too (ioredis resubscribes on its own first, so some do); then each subscription's
 * `onGap` is called, and subscribers catch up from the store. The connections are named
 * `<name>:subscriber` and `<name>:publisher` (CLIENT LIST).
 */
export class RedisBus implements EventBus, CommitNoticeChannel {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly handlers = new Subscribers<BusHandler>();
  private readonly noticeHandlers = new Subscribers<NoticeHandler>();
  /** Ends the channel of every message this bus publishes. */
  private readonly origin = `:${randomBytes(9).toString('base64url')}`;
  private readonly originBytes = Buffer.from(this.origin);
  /** What each pattern listened to carries, and of which category. */
  private readonly topicOfPattern = new Map<string, { kind: Kind; category: string }>();
  /** PSUBSCRIBEs not yet answered, by pattern. */
  private readonly subscribing = new Map<string, Promise<unknown>>();
  /**
   * False from the moment the subscriber connection drops until it has subscribed again: meanwhile
   * publishing fails and the publisher retries, so this process publishes only while it also hears
   * the other processes (ioredis announces `ready` before its automatic resubscription is done).
   * Its own events reach its own handlers directly either way.
   */
  private subscriberLive = true;
  /** The subscriber connection dropped since subscriptions were last told of a gap. */
  private interrupted = false;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'tributary';
    const name = options.name ?? this.prefix;
    const onError = options.onError ?? (() => undefined);
    const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1000);
    this.publisher = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy,
      lazyConnect: false,
      connectionName: clientName(name, 'publisher'),
    });
    // No ready check (INFO) on the subscriber: a SUBSCRIBE issued while the connection handshakes is
    // sent at once, and the INFO that followed it failed in subscriber mode and dropped the connection.
    this.subscriber = new Redis(options.url, {
      autoResubscribe: true,
      retryStrategy,
      maxRetriesPerRequest: null,
      enableReadyCheck: false,
      connectionName: clientName(name, 'subscriber'),
    });
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    // Buffers, not strings: our own messages are recognised by their channel and never decoded.
    this.subscriber.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) => this.received(pattern, channel, message));
    this.subscriber.on('close', () => {
      this.subscriberLive = false;
      this.interrupted = true;
    });
    this.subscriber.on('ready', () => {
      const patterns = [...this.topicOfPattern.keys()];
      if (patterns.length === 0) {
        this.subscriberLive = true;
        this.interrupted = false;
        return;
      }
      // Confirms the resubscription: once Redis answered, every pattern is listened to again.
      this.subscriber.psubscribe(...patterns).then(
        () => {
          if (this.subscriber.status !== 'ready') return;
          this.subscriberLive = true;
          if (!this.interrupted) return;
          this.interrupted = false;
          this.handlers.signalGap();
        },
        () => undefined,
      );
    });
  }

  /** Where this bus publishes the messages of one kind and `category`. */
  private channel(kind: Kind, category: string): string {
    return `${this.prefix}:${kind}:${category}${this.origin}`;
  }

  /** Every bus's channel of one kind and `category`. */
  private pattern(kind: Kind, category: string): string {
    return `${globLiteral(`${this.prefix}:${kind}:${category}`)}:*`;
  }

  /** A message from Redis: another process's is decoded and delivered, our own was delivered already. */
  private received(pattern: string, channel: Buffer, message: Buffer): void {
    if (channel.length >= this.originBytes.length && channel.subarray(channel.length - this.originBytes.length).equals(this.originBytes)) return;
    const topic = this.topicOfPattern.get(pattern);
    if (!topic) return;
    if (topic.kind === 'events') {
      // Between a drop and the confirmed resubscription: the gap signal that follows covers it.
      if (!this.subscriberLive) return;
      const handlers = this.handlers.of(topic.category);
      if (handlers && handlers.size > 0) this.deliver(handlers, decodeEvents(message.toString()));
      return;
    }
    const handlers = this.noticeHandlers.of(topic.category);
    if (!handlers || handlers.size === 0) return;
    for (const notice of JSON.parse(message.toString()) as CommitNotice[]) for (const handler of handlers) handler(notice);
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
    if (!this.subscriberLive && !this.handlers.empty) throw new Error('redis subscriber connection is not subscribed yet');
    await this.publishAll(runs.map((run) => [this.channel('events', run.category), run.json]));
    // Redis has them, so other processes do: now this process's own subscribers, in the same order.
    for (const run of runs) {
      const handlers = this.handlers.of(run.category);
      if (handlers && handlers.size > 0) this.deliver(handlers, decodeEvents(run.json));
    }
  }

  subscribe(category: string, handler: BusHandler, options: SubscribeOptions = {}): Promise<() => Promise<void>> {
    return this.listen('events', this.handlers, category, handler, options.onGap);
  }

  async announce(notices: readonly CommitNotice[]): Promise<void> {
    const byCategory = new Map<string, CommitNotice[]>();
    for (const notice of notices) {
      const category = streamCategory(notice.streamId);
      const list = byCategory.get(category) ?? [];
      list.push(notice);
      byCategory.set(category, list);
      for (const handler of this.noticeHandlers.of(category) ?? []) handler(notice);
    }
    if (byCategory.size === 0) return;
    await this.publishAll([...byCategory].map(([category, list]) => [this.channel('notices', category), JSON.stringify(list)]));
  }

  /** Publishes each message in one pipeline; throws the first failure. */
  private async publishAll(messages: ReadonlyArray<readonly [channel: string, message: string]>): Promise<void> {
    const pipeline = this.publisher.pipeline();
    for (const [channel, message] of messages) pipeline.publish(channel, message);
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error !== null);
    if (failure?.[0]) throw failure[0];
  }

  subscribeNotices(category: string, handler: NoticeHandler): Promise<() => Promise<void>> {
    return this.listen('notices', this.noticeHandlers, category, handler);
  }

  /** Adds a handler; the first of a category starts listening to its pattern, the last stops. */
  private async listen<Handler extends (message: never) => void>(
    kind: Kind,
    subscribers: Subscribers<Handler>,
    category: string,
    handler: Handler,
    onGap?: () => void,
  ): Promise<() => Promise<void>> {
    const pattern = this.pattern(kind, category);
    const { first, remove } = subscribers.add(category, handler, onGap);
    if (first) {
      this.topicOfPattern.set(pattern, { kind, category });
      const subscribed = this.subscriber.psubscribe(pattern);
      this.subscribing.set(pattern, subscribed);
      try {
        await subscribed;
      } finally {
        if (this.subscribing.get(pattern) === subscribed) this.subscribing.delete(pattern);
      }
    } else {
      // Resolves only once the pattern is listened to, also when another subscriber asked first.
      await this.subscribing.get(pattern)?.catch(() => undefined);
    }
    return async () => {
      if (!remove()) return;
      this.topicOfPattern.delete(pattern);
      await this.subscriber.punsubscribe(pattern).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.noticeHandlers.clear();
    this.topicOfPattern.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
