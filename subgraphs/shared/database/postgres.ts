import pg from 'pg';
import { PreparedStatementNames } from './prepared-statement-names.js';
import { CommitOutcomeUnknownError, sqlState, type NotificationHandler, type QueryOptions, type Row, type SqlClient, type SqlSession } from './sql.js';

// int8 as string (positions exceed 2^53 in long-lived stores); the store converts explicitly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

/** `name` as a quoted SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Statements on one connection, as the transaction and the session clients share them. */
abstract class PgConnectionClient {
  constructor(
    protected readonly client: pg.ClientBase,
    protected readonly names: PreparedStatementNames,
  ) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
    const result = await this.client.query<R>(this.names.statement(text, params, options));
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }
}

class PgTransactionClient extends PgConnectionClient implements SqlSession {
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

  /** The transaction's connection is already dedicated: the session is the transaction itself. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/** One connection of its own, held outside a transaction (see SqlClient.session). */
class PgSessionClient extends PgConnectionClient implements SqlSession {
  private lost = false;
  private readonly lostHandlers = new Set<() => void>();

  /**
   * Listener for the client's 'error' event: a client whose connection drops emits
   * it, and without a listener that would crash the process.
   */
  readonly connectionError = (): void => {
    if (this.lost) return;
    this.lost = true;
    for (const handler of this.lostHandlers) handler();
  };

  onLost(handler: () => void): () => void {
    if (this.lost) queueMicrotask(handler);
    else this.lostHandlers.add(handler);
    return () => this.lostHandlers.delete(handler);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const value = await work(new PgTransactionClient(this.client, this.names));
      await this.client.query('COMMIT');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    const onNotification = (message: pg.Notification) => {
      if (message.channel === channel) handler(message.payload ?? '');
    };
    this.client.on('notification', onNotification);
    try {
      await this.client.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      this.client.off('notification', onNotification);
      throw error;
    }
    return async () => {
      this.client.off('notification', onNotification);
      await this.client.query(`UNLISTEN ${quoteIdentifier(channel)}`);
    };
  }
}

/** A SqlClient over a node-postgres pool. */
export class PostgresClient implements SqlClient {
  private readonly names = new PreparedStatementNames();

  constructor(readonly pool: pg.Pool) {}

  async query<R extends Row = Row>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<R[]> {
    const result = await this.pool.query<R>(this.names.statement(text, params, options));
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let value: T;
    try {
      await client.query('BEGIN');
      value = await work(new PgTransactionClient(client, this.names));
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool drops it instead of lending it again.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!rolledBack);
      throw error;
    }
    try {
      await client.query('COMMIT');
    } catch (error) {
      // An answer from the server (a deferred constraint, a cancel) means rolled back; no answer, unknown.
      const answered = sqlState(error) !== undefined;
      client.release(!answered);
      throw answered ? error : new CommitOutcomeUnknownError(error);
    }
    client.release();
    return value;
  }

  /**
   * A connection of its own, outside the pool: a session is held for long (the publisher leads on
   * one), and must neither shrink the pool nor wait for a free pooled connection.
   */
  async session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = new pg.Client(this.pool.options);
    const session = new PgSessionClient(client, this.names);
    client.on('error', session.connectionError);
    try {
      await client.connect();
      return await work(session);
    } finally {
      // Closing also gives up whatever the session held (advisory locks, LISTEN).
      await client.end().catch(() => undefined);
      client.off('error', session.connectionError);
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
