import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { NotificationHandler, Row, SqlClient, SqlSession } from './sql.js';

// Same int8 representation as the node-postgres backend: decimal strings.
const parsers = { [types.INT8]: (value: string) => value };

class PGliteTransactionClient implements SqlSession {
  constructor(private readonly tx: Transaction) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.tx.query<R>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.tx.exec(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    await this.tx.exec('SAVEPOINT nested');
    try {
      const value = await work(this);
      await this.tx.exec('RELEASE SAVEPOINT nested');
      return value;
    } catch (error) {
      await this.tx.exec('ROLLBACK TO SAVEPOINT nested');
      throw error;
    }
  }

  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/**
 * A SqlClient over an embedded PGlite database (one connection; transactions serialise). Its query
 * API has no named statements, so `QueryOptions.prepared` is not used here.
 */
export class PGliteClient implements SqlSession {
  constructor(readonly db: PGlite) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.db.query<R>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new PGliteTransactionClient(tx)));
  }

  /** PGlite is one session in one process: every session is this one, shared. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, handler);
    return () => unlisten();
  }
}

/** Opens (creating if needed) a PGlite database; `dataDir` undefined means in memory. */
export async function openPGlite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers });
}
