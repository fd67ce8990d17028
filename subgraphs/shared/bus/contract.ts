import type { EncodedRun, RecordedEvent } from '../event-store/contract.js';

/** Receives each event published on a channel the handler subscribed to. */
export type BusHandler = (event: RecordedEvent) => void;

/**
 * Fan-out of committed events to every process. Delivery is at-most-once per subscriber
 * (Redis pub/sub); the publisher re-publishes on failure, so consumers deduplicate by position.
 */
export interface EventBus {
  /** Publishes runs of events in log order (see `encodeRuns` for events built in the process). */
  publish(runs: readonly EncodedRun[]): Promise<void>;
  /** Subscribes to the events of one stream category; returns the unsubscribe function. */
  subscribe(category: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
