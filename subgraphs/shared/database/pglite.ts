import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Row, SqlClient } from './sql.js';

// Same int8 representation as the node-postgres backend: decimal strings.
const parsers = { [types.INT8]: (value: string) => value };

class PGliteTransactionClient implements SqlClient {
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
}

/** A SqlClient over an embedded PGlite database (one connection; transactions serialise). */
export class PGliteClient implements SqlClient {
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
}

/** Opens (creating if needed) a PGlite database; `dataDir` undefined means in memory. */
export async function openPGlite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers });
}
