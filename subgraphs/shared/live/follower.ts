import { isAfter, type LogCursor, type RecordedEvent } from '../event-store/contract.js';
import type { RoundMember } from './replay-rounds.js';
import { slowConsumer } from './slow-consumer.js';

/** Where a follower hands what it takes of its events. */
export interface FollowerSink<Item> {
  /** How many more items it takes now; Infinity when it never pushes back. */
  room(): number;
  push(item: Item): void;
  /** The follower ended with `error` (a slow consumer, a failed read). */
  fail(error: unknown): void;
  /** The follower ended without an error (its feed closed). */
  close?(): void;
}

/** What a follower asks of the feed it belongs to. */
export interface FollowerHost {
  /** Reads the store after its cursor for it (see ReplayRounds). */
  catchUp(follower: Follower<unknown>): void;
  /** It ended: no more rounds, no more bus events. */
  release(follower: Follower<unknown>): void;
  /** Its catch-up buffer now holds `size` events (metrics). */
  buffered(size: number): void;
}

export interface FollowerLimits {
  /** Live events kept while it catches up from the store; beyond, they are read again from it. */
  readonly buffer: number;
  /** Events it may fall behind the newest one heard before it is ended with SLOW_CONSUMER. */
  readonly maxLag: number;
}

export interface FollowerSpec<Item> {
  /** Sorted, without repeats. */
  readonly categories: readonly string[];
  /** What the subscriber takes of an event of its categories (the event decoded), or undefined to skip it. */
  readonly select: (event: RecordedEvent) => Item | undefined;
  /** The one stream it is about, if any: a version that skips one is a gap the store fills. */
  readonly stream?: string | undefined;
  /** The resume position to replay after; undefined to start live. */
  readonly start: LogCursor | undefined;
  /** Hold what the bus delivers until `startAfter` says where the log stood (see LiveFeed). */
  readonly awaitsStart: boolean;
  readonly pageSize?: number | undefined;
}

/**
 * One subscriber's view of the log: gap-free and in order, each event once. Live, it takes bus
 * events that come after its cursor. It falls behind, and reads the store after its cursor
 * (through the feed's shared rounds) before it goes live again, when:
 * - it replays after a resume position (it starts behind);
 * - the bus tells of a gap (a lost Redis connection);
 * - its stream's version skips one (a lost message);
 * - the feed finds it has heard nothing for a while although the log moved (`quiet`);
 * - its consumer has no room for a live event (the store has it, no need to hold it here).
 * A follower without a resume position holds what the bus delivers until it learns where the log
 * stood once it listened (`startAfter`), and goes on from there. While behind, bus events are held in a bounded buffer and delivered after the store's, or, if
 * it overflowed, read from the store too. It never holds more than the buffer, and its sink
 * never gets more than it has room for. A consumer whose cursor falls `maxLag` events behind the
 * newest event heard is ended with SLOW_CONSUMER.
 */
export class Follower<Item> implements RoundMember {
  readonly categories: readonly string[];
  readonly pageSize: number | undefined;
  /** Date.now() of the last bus event (the feed's quiet check). */
  lastHeardAt = Date.now();
  private last: LogCursor | undefined;
  private streamVersion: number | undefined;
  private behind: boolean;
  private inRound = false;
  private waitingForRoom = false;
  private ended = false;
  /** Every bus event heard since it was last emptied, unless `bufferLost`. */
  private buffer: RecordedEvent[] = [];
  private bufferLost = false;
  /** Events heard while behind that its cursor has not reached yet. */
  private lag = 0;
  private firstHeardBehind: LogCursor | undefined;
  private newestHeard: LogCursor | undefined;
  /** The log head a quiet check found: nothing of its categories up to it unless the round says so. */
  private quietTarget: LogCursor | undefined;
  private readonly liveWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private wentLive: boolean;

  constructor(
    private readonly spec: FollowerSpec<Item>,
    private readonly sink: FollowerSink<Item>,
    private readonly host: FollowerHost,
    private readonly limits: FollowerLimits,
  ) {
    this.categories = spec.categories;
    this.pageSize = spec.pageSize;
    this.last = spec.start;
    this.behind = spec.start !== undefined || spec.awaitsStart;
    this.wentLive = !this.behind;
  }

  /** Starts the replay, if it has one (after its bus subscriptions are open). */
  begin(): void {
    if (this.spec.start) this.readStore();
  }

  /**
   * Where the log stood once its bus subscriptions were open: it goes on right after `head`, with
   * what it held since that comes after it (anything lost meanwhile is read from the store).
   */
  startAfter(head: LogCursor): void {
    if (this.ended) return;
    this.last = head;
    this.caughtUp();
  }

  /** Resolves once it has replayed and gone live (at once without a replay). */
  live(): Promise<void> {
    if (this.wentLive) return Promise.resolve();
    if (this.ended) return Promise.reject(new Error('follower ended before going live'));
    return new Promise((resolve, reject) => this.liveWaiters.push({ resolve, reject }));
  }

  /** An event from the bus. */
  heard(event: RecordedEvent): void {
    if (this.ended) return;
    this.lastHeardAt = Date.now();
    if (this.behind) {
      this.hold(event);
      return;
    }
    if (this.last && !isAfter(event, this.last)) return;
    if (this.skipsVersion(event)) {
      this.fallBehind(false);
      this.hold(event);
      return;
    }
    const item = this.spec.select(event);
    if (item !== undefined && this.sink.room() < 1) {
      this.fallBehind(true);
      this.hold(event);
      return;
    }
    this.advance(event, item);
  }

  /** The bus may have lost events. */
  gap(): void {
    if (this.ended) return;
    if (this.behind) {
      this.loseBuffer();
      return;
    }
    if (this.last) this.fallBehind(false);
  }

  /** True when it has heard nothing since `since` and could check the log. */
  quietSince(since: number): boolean {
    return !this.ended && !this.behind && this.last !== undefined && this.lastHeardAt <= since;
  }

  /** The feed's quiet check: the log has reached `head`; catch up if that is beyond its cursor. */
  quiet(head: LogCursor): void {
    this.lastHeardAt = Date.now();
    if (this.ended || this.behind || !this.last || !isAfter(head, this.last)) return;
    this.quietTarget = head;
    this.fallBehind(false);
  }

  /** Its consumer took an item: if it waited for room, it reads on. */
  drained(resumeAt: number): void {
    if (!this.waitingForRoom || this.ended || this.sink.room() < resumeAt) return;
    this.waitingForRoom = false;
    this.readStore();
  }

  /** Ends it without an error (the consumer left). */
  stop(): void {
    this.finish(new Error('follower stopped before going live'));
  }

  /** Ends it and its sink (the feed closes). */
  close(): void {
    this.stop();
    this.sink.close?.();
  }

  // RoundMember

  cursor(): LogCursor {
    // Only followers with a cursor read the store (see readStore).
    return this.last!;
  }

  take(events: readonly RecordedEvent[]): 'more' | 'full' {
    if (this.ended) return 'full';
    for (const event of events) {
      if (this.last && !isAfter(event, this.last)) continue;
      const item = this.spec.select(event);
      if (item !== undefined && this.sink.room() < 1) {
        this.inRound = false;
        this.waitingForRoom = true;
        return 'full';
      }
      this.advance(event, item);
    }
    return 'more';
  }

  caughtUp(): void {
    this.inRound = false;
    if (this.ended) return;
    if (this.quietTarget) {
      if (!this.last || isAfter(this.quietTarget, this.last)) this.last = this.quietTarget;
      this.quietTarget = undefined;
    }
    if (this.bufferLost) {
      // Start holding again now, then read what was not held from the store.
      this.bufferLost = false;
      this.readStore();
      return;
    }
    const held = this.buffer;
    this.buffer = [];
    for (const event of held) {
      if (this.last && !isAfter(event, this.last)) continue;
      const item = this.spec.select(event);
      if (item !== undefined && this.sink.room() < 1) {
        // The rest is in the store; what is heard from now on is held from now on.
        this.waitingForRoom = true;
        return;
      }
      this.advance(event, item);
    }
    this.behind = false;
    this.lag = 0;
    this.firstHeardBehind = undefined;
    this.newestHeard = undefined;
    this.settleLive();
  }

  failed(error: unknown): void {
    this.inRound = false;
    this.end(error);
  }

  /** Ends it with `error`, which its sink receives. */
  private end(error: unknown): void {
    if (this.ended) return;
    this.finish(error);
    this.sink.fail(error);
  }

  /** No more bus events or rounds; `reason` is what a wait for it to go live fails with. */
  private finish(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.buffer = [];
    this.host.release(this);
    this.settleLive(reason);
  }

  private settleLive(error?: unknown): void {
    if (error === undefined) this.wentLive = true;
    for (const waiter of this.liveWaiters.splice(0)) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }

  /** Moves past an event that comes right after its cursor, delivering what it took of it. */
  private advance(event: RecordedEvent, item: Item | undefined): void {
    // The event is its own cursor: no object per event and subscriber.
    this.last = event;
    if (event.streamId === this.spec.stream) this.streamVersion = event.version;
    if (this.firstHeardBehind && !isAfter(this.firstHeardBehind, event)) this.lag = Math.max(0, this.lag - 1);
    if (item !== undefined) this.sink.push(item);
  }

  private skipsVersion(event: RecordedEvent): boolean {
    return event.streamId === this.spec.stream && this.streamVersion !== undefined && event.version > this.streamVersion + 1;
  }

  private fallBehind(forRoom: boolean): void {
    this.behind = true;
    this.buffer = [];
    this.bufferLost = false;
    if (forRoom) this.waitingForRoom = true;
    else this.readStore();
  }

  /** A bus event while behind: counted, and held if the buffer is whole and has room. */
  private hold(event: RecordedEvent): void {
    if (this.last && !isAfter(event, this.last)) return;
    if (this.newestHeard && !isAfter(event, this.newestHeard)) return;
    this.newestHeard = event;
    this.firstHeardBehind ??= event;
    this.lag += 1;
    if (this.lag > this.limits.maxLag) {
      this.end(slowConsumer());
      return;
    }
    if (this.bufferLost) return;
    if (this.buffer.length < this.limits.buffer) {
      this.buffer.push(event);
      this.host.buffered(this.buffer.length);
    } else {
      this.loseBuffer();
    }
  }

  private loseBuffer(): void {
    this.buffer = [];
    this.bufferLost = true;
  }

  /** Joins a round, unless it is in one or waits for room (the round after the wait covers it). */
  private readStore(): void {
    if (this.inRound || this.waitingForRoom || this.ended) return;
    if (!this.last) {
      // Nothing to read after (no resume position, no log head known): go on from here.
      this.caughtUp();
      return;
    }
    this.inRound = true;
    this.host.catchUp(this);
  }
}
