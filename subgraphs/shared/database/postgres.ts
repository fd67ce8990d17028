import pg from 'pg';
import type { Row, SqlClient } from './sql.js';

// int8 as string (positions exceed 2^53 in long-lived stores); the store converts explicitly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

class PgTransactionClient implements SqlClient {
  constructor(private readonly client: pg.PoolClient) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.client.query<R>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    // Nested transactions become savepoints so helpers can compose.
    await this.client.query('SAVEPOINT nested');
    try {
      const value = await work(this);
      await this.client.query('RELEASE SAVEPOINT nested');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT nested');
      throw error;
    }
  }
}

/** A SqlClient over a node-postgres pool. */
export class PostgresClient implements SqlClient {
  constructor(readonly pool: pg.Pool) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.pool.query<R>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await work(new PgTransactionClient(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Opens a pool for `connectionString`; `max` bounds concurrent connections. */
export function createPostgresPool(connectionString: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}
