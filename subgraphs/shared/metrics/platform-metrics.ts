import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isDomainError } from '../errors/codes.js';
import type { LiveFeed } from '../live/live-feed.js';
import type { EventPublisher } from '../publisher/publisher.js';

/**
 * The Prometheus metrics of one process's subgraphs: command latency by outcome and refusal
 * code (CONCURRENCY_CONFLICT among them), the sizes of appended batches, publisher lag (events
 * not yet on the bus and how long the oldest has waited), bus reconnects, and the live
 * subscriptions with their slow consumers.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly commandSeconds: Histogram<'outcome'>;
  private readonly commands: Counter<'outcome' | 'code'>;
  private readonly appendedEvents: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_subgraph_' });
    this.commandSeconds = new Histogram({
      name: 'tributary_subgraph_command_duration_seconds',
      help: 'Commands from submission to commit (or refusal), queueing behind a hot stream included.',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.commands = new Counter({
      name: 'tributary_subgraph_commands_total',
      help: 'Commands by outcome (committed, refused, failed) and refusal code.',
      labelNames: ['outcome', 'code'],
      registers,
    });
    this.appendedEvents = new Histogram({
      name: 'tributary_event_store_append_batch_events',
      help: 'Events written by one append.',
      buckets: [1, 2, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000],
      registers,
    });
  }

  /** Times a command and counts its outcome. */
  async command<T>(work: Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await work;
      this.finished('committed', '', started);
      return result;
    } catch (error) {
      if (isDomainError(error)) this.finished('refused', error.code, started);
      else this.finished('failed', '', started);
      throw error;
    }
  }

  private finished(outcome: string, code: string, started: number): void {
    this.commandSeconds.observe({ outcome }, (performance.now() - started) / 1000);
    this.commands.inc({ outcome, code });
  }

  appended(events: number): void {
    this.appendedEvents.observe(events);
  }

  /** Reads the publisher and the live feed at scrape time. */
  watch(publisher: EventPublisher, feed: LiveFeed): void {
    const registers = [this.registry];
    const lag = () => publisher.lag();
    new Gauge({
      name: 'tributary_publisher_lag_events',
      help: 'Committed events not yet published to the bus (counted up to 100,000).',
      registers,
      async collect() {
        this.set((await lag()).events);
      },
    });
    new Gauge({
      name: 'tributary_publisher_lag_seconds',
      help: 'How long the oldest unpublished event has waited (0 when none waits).',
      registers,
      async collect() {
        this.set(((await lag()).oldestAgeMs ?? 0) / 1000);
      },
    });
    const mirror = (name: string, help: string, read: () => number) => {
      let reported = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const total = read();
          this.inc(total - reported);
          reported = total;
        },
      });
    };
    mirror('tributary_publisher_published_events_total', 'Events this process published to the bus.', () => publisher.publishedCount);
    mirror(
      'tributary_bus_reconnects_total',
      'Times the bus may have lost events (its subscriber reconnected), over all live subscriptions.',
      () => feed.stats.gaps,
    );
    mirror('tributary_live_slow_consumers_total', 'Live subscriptions ended for falling too far behind.', () => feed.stats.slowConsumers);
    mirror('tributary_live_store_reads_total', 'Catch-up reads of the store by live subscriptions.', () => feed.stats.storeReads);
    new Gauge({
      name: 'tributary_live_subscriptions',
      help: 'Live subscriptions open on this process.',
      registers,
      collect() {
        this.set(feed.stats.subscriptions);
      },
    });
  }
}
