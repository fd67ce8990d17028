import type { EncodedRun, RecordedEvent } from '../event-store/contract.js';

/** Receives each event published on a channel the handler subscribed to. */
export type BusHandler = (event: RecordedEvent) => void;

/** What a subscriber asks of its subscription besides its events. */
export interface SubscribeOptions {
  /**
   * Called when this subscription may have missed events: the bus lost its connection to the
   * other processes (a network blip, Redis dropping a client over its output-buffer limit, a
   * failover) and is listening again. Whatever was published in between is not delivered, now or
   * later; what is published after this call is. The subscriber catches up from the store.
   */
  readonly onGap?: () => void;
}

/**
 * Fan-out of committed events to every process. Delivery is at-most-once per subscriber (Redis
 * pub/sub): the publisher re-publishes on failure, so consumers deduplicate by position, and a
 * subscription is told through `onGap` when it may have lost some.
 */
export interface EventBus {
  /** Publishes runs of events in log order (see `encodeRuns` for events built in the process). */
  publish(runs: readonly EncodedRun[]): Promise<void>;
  /** Subscribes to the events of one stream category; returns the unsubscribe function. */
  subscribe(category: string, handler: BusHandler, options?: SubscribeOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A stream that has just committed new events, up to the event at `position`. */
export interface CommitNotice {
  readonly streamId: string;
  readonly position: string;
}

/** Receives each commit notice of a category the handler subscribed to. */
export type NoticeHandler = (notice: CommitNotice) => void;

/**
 * Commit notices: a hint, sent by the committing process right after its commit, that a stream
 * moved. They skip the publisher, so they arrive before its events, which wait for the log to be
 * commit-safe; but they are not in log order and may be lost. They suit read models kept as
 * snapshots (counters) that only need to know when to read again; the events still follow, and
 * remain what resumes and catches up.
 */
export interface CommitNoticeChannel {
  /** Delivers to this process's subscribers at once, then to the other processes'. */
  announce(notices: readonly CommitNotice[]): Promise<void>;
  /** Subscribes to the notices of one stream category; returns the unsubscribe function. */
  subscribeNotices(category: string, handler: NoticeHandler): Promise<() => Promise<void>>;
}
