import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../subgraphs/shared/database/connect.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';

/**
 * Handles on one fresh database, one per replica: on PostgreSQL each with a pool of its own (as
 * separate processes have), embedded the one in-process PGlite for all.
 */
export interface ReplicaDatabases {
  readonly database: TestDatabase;
  readonly handles: readonly Database[];
  close(): Promise<void>;
}

export async function openReplicaDatabases(count: number, maxConnections = 10): Promise<ReplicaDatabases> {
  const database = await createTestDatabase({ maxConnections });
  const extra: Database[] = [];
  for (let index = 1; index < count && database.url; index += 1) {
    extra.push(await openDatabase({ url: database.url, maxConnections, migrate: false }));
  }
  return {
    database,
    handles: Array.from({ length: count }, (_, index) => (index === 0 || !database.url ? database.database : extra[index - 1]!)),
    close: async () => {
      for (const handle of extra) await handle.close();
      await database.drop();
    },
  };
}

/** Platforms of `count` replicas on one database and one bus prefix. */
export interface PlatformReplicas {
  readonly platforms: readonly Platform[];
  readonly databases: ReplicaDatabases;
  close(): Promise<void>;
}

export async function startPlatformReplicas(count: number): Promise<PlatformReplicas> {
  const databases = await openReplicaDatabases(count);
  const busPrefix = `tributary-test-${randomUUID()}`;
  const platforms: Platform[] = [];
  for (const database of databases.handles) {
    platforms.push(await createPlatform({ database, redisUrl: backend.redisUrl, busPrefix, pollIntervalMs: 50, logger: pino({ level: 'silent' }) }));
  }
  return {
    platforms,
    databases,
    close: async () => {
      for (const platform of platforms) await platform.close();
      await databases.close();
    },
  };
}
