import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { kyselyOver, type KyselyDatabase } from './kysely/database.js';
import { applyMigrations } from './migrator.js';
import { openPGlite, PGliteClient } from './pglite.js';
import { createPostgresPool, PostgresClient } from './postgres.js';
import type { DatabaseKind, SqlClient } from './sql.js';

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
 * One database handle: `sql` for the event store's hand-tuned statements (both backends), `kysely`
 * for typed queries of the read models over the same client, so there is one set of connections
 * and PGlite's single connection is never contended by two owners.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly sql: SqlClient;
  readonly kysely: KyselyDatabase;
  close(): Promise<void>;
}

/** Opens the configured backend and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig = {}): Promise<Database> {
  let database: Database;
  if (config.url) {
    const pool = createPostgresPool(config.url, config.maxConnections ?? 20);
    const sql = new PostgresClient(pool);
    database = { kind: 'postgres', sql, kysely: kyselyOver(sql), close: () => pool.end() };
  } else {
    if (config.dataDir) await mkdir(config.dataDir, { recursive: true });
    const db: PGlite = await openPGlite(config.dataDir);
    const sql = new PGliteClient(db);
    database = { kind: 'pglite', sql, kysely: kyselyOver(sql), close: () => db.close() };
  }
  if (config.migrate !== false) await applyMigrations(database.sql);
  return database;
}
