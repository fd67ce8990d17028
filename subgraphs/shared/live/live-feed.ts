import { GraphQLError } from 'graphql';
import { SLOW_CONSUMER } from './slow-consumer.js';
import type { EventBus } from '../bus/contract.js';
import { badInput } from '../errors/codes.js';
import type { DomainEvent } from '../decider/decider.js';
import type { EventStore, LogCursor, RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';
import { SpanKind, markLinked } from '../../../common/telemetry/tracing.js';
import { AsyncQueue } from './async-queue.js';
import { Follower, type FollowerHost, type FollowerSink } from './follower.js';
import { ReplayRounds } from './replay-rounds.js';

export interface LiveEventsOptions<Event extends DomainEvent = DomainEvent> {
  /** Stream categories to follow. */
  readonly categories: readonly string[];
  /** Resume after this global position: replay what followed it from the store, then go live. */
  readonly after?: string | null;
  /**
   * The events the subscriber is about: only events of these types are delivered, decoded (in
   * their current shapes, whatever shape they were recorded with). Without it, every event of the
   * categories is delivered as stored, untyped.
   */
  readonly events?: EventSchema<Event>;
  /** Keep only the events this returns true for (it sees them decoded). */
  readonly filter?: (event: RecordedEvent<Event>) => boolean;
  /**
   * The one stream of those categories the subscriber is about, if any: a version of it that
   * skips one tells of a lost message, which is then read from the store.
   */
  readonly stream?: string;
  /** Page size of a replay this subscription starts (a shared replay keeps its own). */
  readonly replayPageSize?: number;
}

/** The bounds of a feed; each subscription holds at most `queue` + `buffer` events. */
export interface LiveLimits {
  /** Events waiting for the consumer, per subscription. */
  readonly queue: number;
  /** Live events held while a subscription catches up from the store. */
  readonly buffer: number;
  /** Events a subscription may fall behind the newest one heard before it ends with SLOW_CONSUMER. */
  readonly maxLag: number;
  /** Events per catch-up read. */
  readonly pageSize: number;
  /** A subscription that heard nothing this long while the log moved reads the store (0: never). */
  readonly quietMs: number;
}

/**
 * Options of a typed subscription name the schema that checks its events: a union narrower than
 * `DomainEvent` cannot be claimed without it.
 */
export type CheckedLiveEventsOptions<Event extends DomainEvent> = LiveEventsOptions<Event> &
  (DomainEvent extends Event ? unknown : { readonly events: EventSchema<Event> });

export const DEFAULT_LIVE_LIMITS: LiveLimits = { queue: 1000, buffer: 1000, maxLag: 10_000, pageSize: 500, quietMs: 2000 };

export interface LiveFeedOptions {
  readonly store: EventStore;
  readonly bus: EventBus;
  /**
   * The last commit-safe event now (see commitSafeHead). With it, a subscription without a
   * resume position starts exactly after the log head as of its bus subscriptions (so a gap before
   * its first event is filled from there), and quiet subscriptions check the log. Without it, such
   * a subscription starts with whatever the bus delivers first.
   */
  readonly head?: () => Promise<LogCursor>;
  readonly limits?: Partial<LiveLimits>;
}

/** What a feed holds, for metrics and tests. */
export interface LiveFeedStats {
  readonly subscriptions: number;
  /** Catch-up reads (`readAll`) made so far. */
  readonly storeReads: number;
  /** The most events any subscription's queue held at once. */
  readonly peakQueued: number;
  /** The most live events any subscription held at once while it caught up. */
  readonly peakBuffered: number;
  /** Times the bus said it may have lost events (a reconnect), over all subscriptions. */
  readonly gaps: number;
  /** Subscriptions ended for falling too far behind. */
  readonly slowConsumers: number;
}

/** Marks an event handed to a subscription, linked to the trace of the request that appended it. */
function traceDelivery<Event extends RecordedEvent>(result: IteratorResult<Event>): IteratorResult<Event> {
  if (result.done) return result;
  const event = result.value;
  markLinked(
    'subscription.deliver',
    { kind: SpanKind.CONSUMER, attributes: { 'tributary.stream': event.streamId, 'tributary.event.type': event.type, 'tributary.position': event.position } },
    event.metadata.traceparent,
  );
  return result;
}

/**
 * What a subscription takes of each event of its categories: the event decoded by its schema (so
 * of its types only, in current shapes), if its filter keeps it. Decoding is one map lookup for an
 * event of a type without upcasters; without a schema, events go through as stored.
 */
function selection<Event extends DomainEvent>(options: LiveEventsOptions<Event>): (event: RecordedEvent) => RecordedEvent<Event> | undefined {
  const { events: schema, filter } = options;
  if (!schema) {
    // No schema: `Event` is DomainEvent (see CheckedLiveEventsOptions).
    const untyped = filter as ((event: RecordedEvent) => boolean) | undefined;
    return untyped ? (event) => (untyped(event) ? (event as RecordedEvent<Event>) : undefined) : (event) => event as RecordedEvent<Event>;
  }
  if (!filter) return (event) => schema.select(event);
  return (event) => {
    const decoded = schema.select(event);
    return decoded !== undefined && filter(decoded) ? decoded : undefined;
  };
}

/**
 * The live events of one process: every subscription is a {@link Follower} of the bus that is
 * gap-free whatever the bus does, and whose catch-up reads of the store are shared with the
 * other subscriptions of the same categories ({@link ReplayRounds}). Memory is bounded: a
 * subscription's queue holds at most `limits.queue` events (the consumer's pace sets the rest:
 * past that it reads from the store when it has room again) and its catch-up buffer
 * `limits.buffer`; a consumer `limits.maxLag` events behind is ended with SLOW_CONSUMER.
 */
export class LiveFeed {
  private readonly limits: LiveLimits;
  private readonly rounds: ReplayRounds;
  private readonly followers = new Set<Follower<unknown>>();
  private readonly cursors = new Map<string, Promise<LogCursor | undefined>>();
  private headRead: Promise<LogCursor> | undefined;
  private nextHeadRead: Promise<LogCursor> | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private checkingQuiet = false;
  private peakQueued = 0;
  private peakBuffered = 0;
  private gaps = 0;
  private slowConsumers = 0;

  constructor(private readonly options: LiveFeedOptions) {
    this.limits = { ...DEFAULT_LIVE_LIMITS, ...options.limits };
    this.rounds = new ReplayRounds(options.store, this.limits.pageSize);
  }

  get stats(): LiveFeedStats {
    return {
      subscriptions: this.followers.size,
      storeReads: this.rounds.storeReads,
      peakQueued: this.peakQueued,
      peakBuffered: this.peakBuffered,
      gaps: this.gaps,
      slowConsumers: this.slowConsumers,
    };
  }

  /**
   * The events of some categories as an async iterator for a GraphQL subscription: replay after
   * `after` (if given), then live; in log order, each once. Resolves once it listens to the bus.
   */
  async events<Event extends DomainEvent = DomainEvent>(options: CheckedLiveEventsOptions<Event>): Promise<AsyncIterableIterator<RecordedEvent<Event>>> {
    const queue = new AsyncQueue<RecordedEvent<Event>>();
    const sink: FollowerSink<RecordedEvent<Event>> = {
      room: () => this.limits.queue - queue.size,
      push: (event) => {
        queue.push(event);
        if (queue.size > this.peakQueued) this.peakQueued = queue.size;
      },
      fail: (error) => {
        if (error instanceof GraphQLError && error.extensions.code === SLOW_CONSUMER) this.slowConsumers += 1;
        queue.fail(error);
      },
      close: () => queue.close(),
    };
    const follower = await this.open(options, sink);
    const resumeAt = Math.max(1, Math.floor(this.limits.queue / 2));
    const iterator: AsyncIterableIterator<RecordedEvent<Event>> = {
      next: () => {
        const item = queue.next().then(traceDelivery);
        follower.drained(resumeAt);
        return item;
      },
      return: async () => {
        follower.stop();
        return queue.return();
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /**
   * The same events handed to `onEvent` as they come (no queue: the callback keeps up). Resolves
   * once the replay is done, with the function that stops it; `onError` hears of a later failure.
   */
  async follow<Event extends DomainEvent = DomainEvent>(
    options: CheckedLiveEventsOptions<Event>,
    onEvent: (event: RecordedEvent<Event>) => void,
    onError: (error: unknown) => void = () => undefined,
  ): Promise<() => void> {
    const follower = await this.open(options, { room: () => Number.POSITIVE_INFINITY, push: onEvent, fail: onError });
    try {
      await follower.live();
    } catch (error) {
      follower.stop();
      throw error;
    }
    return () => follower.stop();
  }

  /** Stops every subscription and the quiet checks. */
  close(): void {
    for (const follower of [...this.followers]) follower.close();
    this.stopQuietChecks();
  }

  private async open<Event extends DomainEvent>(
    options: LiveEventsOptions<Event>,
    sink: FollowerSink<RecordedEvent<Event>>,
  ): Promise<Follower<RecordedEvent<Event>>> {
    const categories = [...new Set(options.categories)].sort();
    let start: LogCursor | undefined;
    if (options.after != null) {
      start = await this.cursorAt(options.after);
      if (!start) throw badInput(`no event at position ${options.after}`, 'after');
    }
    // Without a resume position it starts right after the log head as of its subscriptions.
    const awaitsStart = start === undefined && this.options.head !== undefined;
    const subscriptions: Array<() => Promise<void>> = [];
    const host: FollowerHost = {
      catchUp: (follower) => this.rounds.join(follower),
      release: (follower) => {
        this.rounds.leave(follower);
        this.followers.delete(follower);
        for (const unsubscribe of subscriptions.splice(0)) void unsubscribe().catch(() => undefined);
        if (this.followers.size === 0) this.stopQuietChecks();
      },
      buffered: (size) => {
        if (size > this.peakBuffered) this.peakBuffered = size;
      },
    };
    const follower = new Follower(
      { categories, select: selection(options), stream: options.stream, start, awaitsStart, pageSize: options.replayPageSize },
      sink,
      host,
      this.limits,
    );
    const opened = await Promise.allSettled(
      categories.map((category) =>
        this.options.bus.subscribe(category, (event) => follower.heard(event), {
          onGap: () => {
            this.gaps += 1;
            follower.gap();
          },
        }),
      ),
    );
    for (const result of opened) if (result.status === 'fulfilled') subscriptions.push(result.value);
    const failure = opened.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      follower.stop();
      throw failure.reason;
    }
    this.followers.add(follower);
    this.startQuietChecks();
    follower.begin();
    if (awaitsStart) {
      // Read after the subscriptions opened: what the bus missed before them is at or before it.
      try {
        follower.startAfter(await this.headAfterNow());
      } catch (error) {
        follower.stop();
        throw error;
      }
    }
    return follower;
  }

  /** The log cursor of a position; concurrent lookups of one position share a query. */
  private cursorAt(position: string): Promise<LogCursor | undefined> {
    let lookup = this.cursors.get(position);
    if (!lookup) {
      lookup = this.options.store.cursorAt(position).finally(() => this.cursors.delete(position));
      this.cursors.set(position, lookup);
    }
    return lookup;
  }

  /**
   * The log head, read after this call: callers that come while a read is under way share the
   * next one (that read may predate what they have to cover).
   */
  private headAfterNow(): Promise<LogCursor> {
    if (!this.headRead) return this.readHead();
    this.nextHeadRead ??= this.headRead
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.nextHeadRead = undefined;
        return this.readHead();
      });
    return this.nextHeadRead;
  }

  private readHead(): Promise<LogCursor> {
    const read = this.options.head!().finally(() => {
      if (this.headRead === read) this.headRead = undefined;
    });
    this.headRead = read;
    return read;
  }

  private startQuietChecks(): void {
    if (this.quietTimer || !this.options.head || this.limits.quietMs <= 0) return;
    this.quietTimer = setInterval(() => void this.checkQuiet(), Math.max(10, Math.floor(this.limits.quietMs / 2)));
    this.quietTimer.unref();
  }

  private stopQuietChecks(): void {
    if (this.quietTimer) clearInterval(this.quietTimer);
    this.quietTimer = undefined;
  }

  /** Subscriptions that heard nothing for `quietMs` read the store if the log moved past them. */
  private async checkQuiet(): Promise<void> {
    if (this.checkingQuiet) return;
    const since = Date.now() - this.limits.quietMs;
    const quiet = [...this.followers].filter((follower) => follower.quietSince(since));
    if (quiet.length === 0) return;
    this.checkingQuiet = true;
    try {
      const head = await this.headAfterNow();
      for (const follower of quiet) follower.quiet(head);
    } catch {
      // The database is unreachable: the next check tries again.
    } finally {
      this.checkingQuiet = false;
    }
  }
}
