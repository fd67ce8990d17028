import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CommitNoticeChannel, EventBus } from '../../subgraphs/shared/bus/contract.js';
import { InMemoryBus } from '../../subgraphs/shared/bus/in-memory-bus.js';
import { RedisBus } from '../../subgraphs/shared/bus/redis-bus.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import { LiveFeed, type LiveLimits } from '../../subgraphs/shared/live/live-feed.js';
import { commitSafeHead } from '../../subgraphs/shared/live/log-head.js';
import { EventPublisher } from '../../subgraphs/shared/publisher/publisher.js';
import { backend, type TestDatabase } from './environment.js';
import { openReplicaDatabases } from './platform-replicas.js';

/** One process's share of the platform's live path: its own pool, bus, publisher and feed. */
export interface LiveProcess {
  readonly name: string;
  readonly sql: SqlClient;
  readonly store: SqlEventStore;
  readonly bus: EventBus & CommitNoticeChannel;
  readonly publisher: EventPublisher;
  readonly feed: LiveFeed;
}

/**
 * Processes on one database and one bus, as replicas of a subgraph run them. PostgreSQL + Redis:
 * each has its own connection pool and Redis connections. Embedded: PGlite is one in-process
 * database, so they share it, and one in-process bus.
 */
export interface LiveProcesses {
  readonly database: TestDatabase;
  readonly processes: readonly LiveProcess[];
  /** Where events are published: the process whose publisher leads. */
  readonly leader: () => LiveProcess;
  /**
   * Cuts the subscriber connections of `victims` from the bus while `during` runs, then lets them
   * come back, as `CLIENT KILL TYPE pubsub` does. Redis: this run's connections only, by name,
   * killed again each time they reconnect until `during` is done. Embedded: the shared bus drops
   * what is published meanwhile, then tells every subscription of the gap.
   */
  readonly interrupt: (victims: readonly LiveProcess[], during: () => Promise<void>) => Promise<void>;
  close(): Promise<void>;
}

export async function startLiveProcesses(count: number, limits: Partial<LiveLimits> = {}): Promise<LiveProcesses> {
  const databases = await openReplicaDatabases(count);
  const prefix = `tributary-test-${randomUUID()}`;
  const shared = backend.redisUrl ? undefined : new InMemoryBus();
  const admin = backend.redisUrl ? new Redis(backend.redisUrl) : undefined;
  const processes: LiveProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = `${prefix}-p${index}`;
    const { sql } = databases.handles[index]!;
    let bus: EventBus & CommitNoticeChannel;
    if (backend.redisUrl) {
      const redis = new RedisBus({ url: backend.redisUrl, prefix, name });
      await redis.ready();
      bus = redis;
    } else {
      bus = shared!;
    }
    const store = new SqlEventStore(sql);
    const publisher = new EventPublisher({ sql, bus, pollIntervalMs: 50 });
    publisher.start();
    processes.push({ name, sql, store, bus, publisher, feed: new LiveFeed({ store, bus, head: () => commitSafeHead(sql), limits }) });
  }

  const subscriberIds = async (victims: readonly LiveProcess[]): Promise<string[]> => {
    const names = new Set(victims.map((victim) => `${victim.name}:subscriber`));
    const list = (await admin!.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    return list
      .split('\n')
      .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=') as [string, string])))
      .filter((client) => names.has(client.name ?? ''))
      .map((client) => client.id as string);
  };

  return {
    database: databases.database,
    processes,
    leader: () => {
      const leading = processes.find((process) => process.publisher.leading);
      if (!leading) throw new Error('no publisher leads');
      return leading;
    },
    interrupt: async (victims, during) => {
      if (!admin) {
        const resume = shared!.interruptSubscriptions();
        try {
          await during();
        } finally {
          resume();
        }
        return;
      }
      const kill = async () => {
        for (const id of await subscriberIds(victims)) await admin.call('CLIENT', 'KILL', 'ID', id).catch(() => undefined);
      };
      await kill();
      let holding = true;
      const killing = (async () => {
        while (holding) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (holding) await kill();
        }
      })();
      try {
        await during();
      } finally {
        holding = false;
        await killing;
      }
    },
    close: async () => {
      for (const process of processes) {
        process.feed.close();
        await process.publisher.stop();
      }
      if (shared) await shared.close();
      else for (const process of processes) await process.bus.close();
      admin?.disconnect();
      await databases.close();
    },
  };
}

/** What `collect` has gathered from an iterator so far. */
export interface Collected<T> {
  readonly received: T[];
  /** Settles when the iterator ends: undefined, or the error it ended with. */
  readonly ended: Promise<unknown>;
  /** Stops the iterator (as a client that leaves) and waits for the end. */
  stop(): Promise<void>;
}

/** Pulls every item of `iterator` in the background, waiting `pauseMs` after each (a slow client). */
export function collect<T>(iterator: AsyncIterableIterator<T>, pauseMs = 0): Collected<T> {
  const received: T[] = [];
  const ended = (async () => {
    for await (const item of iterator) {
      received.push(item);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return undefined;
  })().catch((error: unknown) => error);
  return {
    received,
    ended,
    stop: async () => {
      await iterator.return?.();
      await ended;
    },
  };
}
