import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type ConnectionProvider,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { QueryOptions, SqlClient } from '../sql.js';

const PREPARED: QueryOptions = { prepared: true };

/** Rejects the transaction callback of a Kysely transaction that is rolled back. */
class RollbackRequested extends Error {}

/** A Kysely transaction under way on a SqlClient: the client it runs on, and how to end it. */
interface OpenTransaction {
  readonly outer: SqlClient;
  readonly finish: (commit: boolean) => void;
  readonly finished: Promise<void>;
}

/**
 * One Kysely connection over a SqlClient. Statements go to the client as they are (so a
 * transaction's client keeps them in its transaction). A Kysely transaction runs inside
 * `SqlClient.transaction`, held open until Kysely commits or rolls back: on a client that is itself
 * a transaction, that is a savepoint.
 */
export class SqlClientConnection implements DatabaseConnection {
  private client: SqlClient;
  private open: OpenTransaction | undefined;

  constructor(client: SqlClient) {
    this.client = client;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // The client returns rows only: writes that need counts say RETURNING. Kysely puts every value
    // in a parameter, and keys and rows travel as arrays, so each call site makes one text: worth
    // keeping prepared.
    const rows = await this.client.query(compiled.sql, compiled.parameters, PREPARED);
    return { rows: rows as R[] };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    // Kysely's own PostgreSQL dialect refuses the same way without a cursor: a SqlClient returns
    // whole results, and reading one in chunks would only pretend to stream.
    throw new Error('streaming is not available over a SqlClient: select a bounded page instead');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.open) throw new Error('a transaction is already open on this connection');
    const outer = this.client;
    let finish: (commit: boolean) => void = () => undefined;
    const decided = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    let entered: (tx: SqlClient) => void = () => undefined;
    let failed: (error: unknown) => void = () => undefined;
    const inside = new Promise<SqlClient>((resolve, reject) => {
      entered = resolve;
      failed = reject;
    });
    const finished = outer.transaction(async (tx) => {
      const characteristics = transactionCharacteristics(settings);
      if (characteristics) await tx.query(`SET TRANSACTION ${characteristics}`);
      entered(tx);
      if (!(await decided)) throw new RollbackRequested();
    });
    // A failure before the callback is entered (no connection, a refused SET) ends `begin`; one
    // after it is `end`'s to report.
    finished.then(() => failed(new Error('the transaction ended before it began')), failed);
    const tx = await inside;
    this.open = { outer, finish, finished };
    this.client = tx;
  }

  async end(commit: boolean): Promise<void> {
    const open = this.open;
    if (!open) throw new Error('no transaction is open on this connection');
    this.open = undefined;
    this.client = open.outer;
    open.finish(commit);
    try {
      await open.finished;
    } catch (error) {
      if (!(error instanceof RollbackRequested)) throw error;
    }
  }
}

/** `ISOLATION LEVEL … , READ ONLY` for the settings given; '' when none. */
function transactionCharacteristics(settings: TransactionSettings): string {
  const parts: string[] = [];
  if (settings.isolationLevel) parts.push(`ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}`);
  if (settings.accessMode) parts.push(settings.accessMode.toUpperCase());
  return parts.join(', ');
}

/**
 * Hands each query (or Kysely transaction) a connection of its own over one SqlClient: a
 * SqlClient needs no acquiring or releasing, and its own queries may overlap (a pool's do).
 */
export class SqlClientConnectionProvider implements ConnectionProvider {
  constructor(private readonly client: SqlClient) {}

  async provideConnection<T>(consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    return consumer(new SqlClientConnection(this.client));
  }
}

/** Kysely's driver over one SqlClient: every acquired connection forwards to it. */
export class SqlClientDriver implements Driver {
  constructor(private readonly client: SqlClient) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SqlClientConnection(this.client);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as SqlClientConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqlClientConnection).end(true);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqlClientConnection).end(false);
  }

  async releaseConnection(): Promise<void> {}

  /** The SqlClient belongs to its database handle, which closes it. */
  async destroy(): Promise<void> {}
}

/**
 * PostgreSQL as Kysely speaks it, over a SqlClient: a pool, PGlite, or a transaction (or session)
 * of either, so the same queries run on both backends, inside and outside transactions.
 */
export class SqlClientDialect implements Dialect {
  constructor(private readonly client: SqlClient) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new SqlClientDriver(this.client);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
