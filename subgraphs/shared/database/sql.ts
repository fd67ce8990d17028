/** A row as the driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/** How one statement may be run. */
export interface QueryOptions {
  /**
   * The text is one of a bounded set of shapes (the typed layer's statements, every value a
   * parameter): the database may keep it parsed and planned on each connection, so that running
   * it again skips both. Where a backend has no such cache, it is ignored.
   */
  readonly prepared?: boolean;
}

/**
 * The smallest SQL surface Tributary needs, implemented by node-postgres and by PGlite so the
 * event store and projections run unchanged on both backends.
 */
export interface SqlClient {
  query<R extends Row = Row>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one dedicated connection, outside any transaction, for state that lives as long
   * as a connection: session advisory locks, LISTEN. On PostgreSQL it is a connection of its own,
   * outside the pool, closed when `work` settles (which also releases what it held). PGlite is a
   * single session, so there `work` shares it with everyone; inside a transaction, the session is
   * the transaction's.
   */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** A notification handler; `payload` is '' when the sender gave none. */
export type NotificationHandler = (payload: string) => void;

/** One connection held by `SqlClient.session`. */
export interface SqlSession extends SqlClient {
  /**
   * Calls `handler` for every NOTIFY on `channel` received by this connection until the returned
   * function is called. Absent where the session cannot receive notifications.
   */
  listen?(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Calls `handler` once when the connection breaks (its queries then fail), so that a session
   * kept idle learns of it at once; returns a function that removes the handler. Absent where a
   * session cannot break on its own.
   */
  onLost?(handler: () => void): () => void;
}

/** Which backend a database handle talks to. */
export type DatabaseKind = 'postgres' | 'pglite';

/** Postgres error codes the store reacts to. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  /** A statement cancelled, here by the statement timeout a command's deadline sets. */
  QUERY_CANCELED: '57014',
} as const;

/**
 * The database may or may not have committed a transaction: COMMIT was sent and the connection
 * broke before the answer came. Any other failure of `SqlClient.transaction` means nothing of it
 * was committed.
 */
export class CommitOutcomeUnknownError extends Error {
  override readonly name = 'CommitOutcomeUnknownError';
  constructor(override readonly cause: unknown) {
    super(`the connection broke while committing: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The SQLSTATE of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
