import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../subgraphs/shared/database/connect.js';
import { createBus, type CommitNoticeChannel, type EventBus } from '../../subgraphs/shared/bus/index.js';

/**
 * Which backends the suite runs on. CI sets DATABASE_URL and REDIS_URL, and then the suites run on
 * real PostgreSQL and Redis; `npm test` without them uses PGlite and the in-process bus.
 */
export const backend = {
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
};

/** A database nobody else uses: a fresh PostgreSQL database, or a fresh in-memory PGlite. */
export interface TestDatabase {
  readonly url: string | undefined;
  readonly database: Database;
  drop(): Promise<void>;
}

function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/** Creates an empty, migrated database for one test file. */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  if (!backend.databaseUrl) {
    const database = await openDatabase({});
    return { url: undefined, database, drop: () => database.close() };
  }
  const name = `tributary_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl(backend.databaseUrl) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(backend.databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) });
  return {
    url: url.toString(),
    database,
    drop: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl(backend.databaseUrl!) });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A bus whose channels no other test run shares. */
export function createTestBus(prefix = `tributary-test-${randomUUID()}`): EventBus & CommitNoticeChannel {
  return createBus({ ...(backend.redisUrl ? { redisUrl: backend.redisUrl } : {}), prefix });
}
