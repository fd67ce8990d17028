/** A row as the driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * The smallest SQL surface Tributary needs, implemented by node-postgres and by PGlite so the
 * event store and projections run unchanged on both backends.
 */
export interface SqlClient {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** Which backend a database handle talks to. */
export type DatabaseKind = 'postgres' | 'pglite';

/** Postgres error codes the store reacts to. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
} as const;

/** The SQLSTATE of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
