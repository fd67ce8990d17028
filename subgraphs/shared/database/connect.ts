import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../../generated/prisma/client.js';
import { applyMigrations } from './migrator.js';
import { openPGlite, PGliteClient } from './pglite.js';
import { createPostgresPool, PostgresClient } from './postgres.js';
import type { DatabaseKind, SqlClient } from './sql.js';

export { PrismaClient };

/** Where the data lives: a PostgreSQL URL, or else an embedded PGlite folder (undefined = memory). */
export interface DatabaseConfig {
  readonly url?: string;
  readonly dataDir?: string;
  /** Pool size for PostgreSQL. */
  readonly maxConnections?: number;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
}

/**
 * One database handle: `sql` for the event store and projections (raw SQL, both backends), `prisma`
 * for read-model queries. Both share the same driver (pool or PGlite instance), so there is one set
 * of connections and PGlite's single connection is never contended by two owners.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly sql: SqlClient;
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

/** Opens the configured backend and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig = {}): Promise<Database> {
  let database: Database;
  if (config.url) {
    const pool = createPostgresPool(config.url, config.maxConnections ?? 20);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    database = {
      kind: 'postgres',
      sql: new PostgresClient(pool),
      prisma,
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  } else {
    if (config.dataDir) await mkdir(config.dataDir, { recursive: true });
    const db: PGlite = await openPGlite(config.dataDir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    database = {
      kind: 'pglite',
      sql: new PGliteClient(db),
      prisma,
      close: async () => {
        await prisma.$disconnect();
        await db.close();
      },
    };
  }
  if (config.migrate !== false) await applyMigrations(database.sql);
  return database;
}
