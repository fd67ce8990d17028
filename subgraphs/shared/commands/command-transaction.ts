import type { SqlClient } from '../database/sql.js';
import { boundStatements, checkDeadline } from './deadline.js';
import { retrying, type Retrying } from './retry.js';

/** How {@link commandTransaction} runs a command's work. */
export interface CommandTransactionOptions<T> {
  /** When the caller stops waiting (ms since the epoch), if it said. */
  readonly deadline: number | undefined;
  /** Which failed tries run again. */
  readonly retry: Retrying;
  /**
   * Whether `result` wrote anything, so must not commit past the deadline; by default it did. A
   * replay of an idempotency key wrote nothing, and its answer is given even late.
   */
  readonly wrote?: (result: T) => boolean;
}

/** One try only: for work whose caller handles a failure itself. */
export const singleTry: Retrying = retrying({ attempts: 1, retryable: () => false, backoff: 'none' });

/**
 * The transaction every command runs in, alone or in a batch: each try refuses to start past the
 * deadline, bounds its statements by the time left, and is rolled back rather than committed
 * after it; a failed try runs again as `retry` says.
 */
export function commandTransaction<T>(sql: SqlClient, options: CommandTransactionOptions<T>, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  const { deadline, wrote } = options;
  return options.retry.run(() =>
    sql.transaction(async (tx) => {
      // First, before anything is read (the state decided on is the one the append extends) and
      // before any write.
      checkDeadline(deadline);
      await boundStatements(tx, deadline);
      const result = await work(tx);
      // Right before COMMIT: an answer the caller would no longer take is rolled back instead.
      if (wrote === undefined || wrote(result)) checkDeadline(deadline);
      return result;
    }),
  );
}
