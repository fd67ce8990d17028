import type { Logger } from 'pino';
import { createBus, type CommitNotice, type CommitNoticeChannel, type EventBus } from './bus/index.js';
import { handleCommand, type CommandOutcome, type StreamCommand } from './commands/handle-command.js';
import { openDatabase, type Database } from './database/connect.js';
import type { DomainEvent } from './decider/decider.js';
import type { RecordedEvent } from './event-store/contract.js';
import { SqlEventStore } from './event-store/sql-event-store.js';
import { LiveFeed, type CheckedLiveEventsOptions } from './live/live-feed.js';
import { commitSafeHead } from './live/log-head.js';
import { followStreamChanges, type StreamChange, type StreamChangesOptions } from './live/stream-changes.js';
import { EventPublisher } from './publisher/publisher.js';
import { inSpan } from '../../common/telemetry/tracing.js';
import { observeAppends } from './event-store/append-observers.js';
import { PlatformMetrics } from './metrics/platform-metrics.js';

/** Where a process finds its storage and bus. */
export interface PlatformConfig {
  /** PostgreSQL URL; without it an embedded PGlite database is used. */
  readonly databaseUrl?: string | undefined;
  /** An already open database to use instead (its owner closes it). */
  readonly database?: Database | undefined;
  /** PGlite folder (ignored with databaseUrl); undefined keeps the database in memory. */
  readonly dataDir?: string | undefined;
  /** Redis URL; without it the bus is in-process. */
  readonly redisUrl?: string | undefined;
  /** Redis channel prefix. */
  readonly busPrefix?: string | undefined;
  /** Publisher fallback poll interval; also how soon another process's publisher takes over from a dead leader. */
  readonly pollIntervalMs?: number | undefined;
  readonly logger: Logger;
}

/**
 * The services every subgraph of one process shares: database, event store, bus and the
 * publisher that moves committed events from the store to the bus.
 */
export interface Platform {
  readonly db: Database;
  /** The event store of every event, untyped; a subgraph reads its own through `store.withEvents(schema)`. */
  readonly store: SqlEventStore;
  readonly bus: EventBus & CommitNoticeChannel;
  readonly publisher: EventPublisher;
  /** The live events of this process's subscriptions (bounded, gap-free, shared catch-up reads). */
  readonly feed: LiveFeed;
  /** Prometheus metrics of this process's subgraphs. */
  readonly metrics: PlatformMetrics;
  readonly logger: Logger;
  /** Handles a stream command and wakes the publisher once it committed. */
  execute<Command, Event extends DomainEvent, State>(spec: StreamCommand<Command, Event, State>): Promise<CommandOutcome<Event>>;
  /** Runs a unit of work that appended events, then wakes the publisher. */
  afterCommit<T>(work: Promise<T>): Promise<T>;
  /**
   * Sends a commit notice for each stream of these just-committed events (see CommitNoticeChannel),
   * without waiting; a failure is logged, as the events themselves follow through the publisher.
   */
  announce(events: readonly RecordedEvent[]): void;
  /** Ordered, resumable live events (see liveEvents), decoded by `options.events`. */
  live<Event extends DomainEvent = DomainEvent>(options: CheckedLiveEventsOptions<Event>): Promise<AsyncIterableIterator<RecordedEvent<Event>>>;
  /** Every change of one stream, commit notices first (see streamChanges). */
  changes(options: StreamChangesOptions): Promise<AsyncIterableIterator<StreamChange>>;
  close(): Promise<void>;
}

/** Opens the database (migrating it), the bus, and starts the publisher. */
export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  const ownsDatabase = !config.database;
  const db = config.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  const store = new SqlEventStore(db.sql);
  const busLogger = config.logger.child({ component: 'bus' });
  let lastBusError = 0;
  const bus = createBus({
    redisUrl: config.redisUrl,
    prefix: config.busPrefix,
    onError: (error) => {
      // ioredis reports every reconnect attempt; one line per 10 s is enough.
      if (Date.now() - lastBusError > 10_000) busLogger.warn({ err: error }, 'redis connection error');
      lastBusError = Date.now();
    },
  });
  const publisher = new EventPublisher({
    sql: db.sql,
    bus,
    logger: config.logger.child({ component: 'publisher' }),
    ...(config.pollIntervalMs ? { pollIntervalMs: config.pollIntervalMs } : {}),
  });
  publisher.start();
  const feed = new LiveFeed({ store, bus, head: () => commitSafeHead(db.sql) });
  const metrics = new PlatformMetrics();
  metrics.watch(publisher, feed);
  const stopObserving = observeAppends((events) => metrics.appended(events));

  const afterCommit = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      publisher.wake();
    }
  };

  let lastNoticeError = 0;
  const announce = (events: readonly RecordedEvent[]) => {
    // The last event of each stream stands for the stream.
    const latest = new Map<string, CommitNotice>();
    for (const event of events) latest.set(event.streamId, { streamId: event.streamId, position: event.position });
    if (latest.size === 0) return;
    bus.announce([...latest.values()]).catch((error: unknown) => {
      if (Date.now() - lastNoticeError > 10_000) busLogger.warn({ err: error }, 'commit notice not sent');
      lastNoticeError = Date.now();
    });
  };

  return {
    db,
    store,
    bus,
    publisher,
    feed,
    metrics,
    logger: config.logger,
    execute: (spec) =>
      metrics.command(afterCommit(inSpan('command', { attributes: { 'tributary.stream': spec.streamId } }, () => handleCommand(db.sql, spec)))),
    afterCommit,
    announce,
    live: (options) => feed.events(options),
    changes: (options) => followStreamChanges(feed, bus, options),
    close: async () => {
      stopObserving();
      feed.close();
      await publisher.stop();
      await bus.close();
      if (ownsDatabase) await db.close();
    },
  };
}
