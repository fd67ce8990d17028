import { ConstantBackoff, ExponentialBackoff, fullJitterGenerator, handleWhen, retry, type IBackoffFactory, type RetryPolicy } from 'cockatiel';
import { PgErrorCode, sqlState } from '../database/sql.js';

/** Tries of a command's transaction, the first included, before a transient failure reaches the client. */
export const TRANSACTION_ATTEMPTS = 20;

/**
 * Whether PostgreSQL aborted a transaction for a reason that running it again clears: a
 * serialization failure or a detected deadlock.
 */
export function isTransientTransactionFailure(error: unknown): boolean {
  const state = sqlState(error);
  return state === PgErrorCode.SERIALIZATION_FAILURE || state === PgErrorCode.DEADLOCK_DETECTED;
}

/** How {@link retrying} tries work again. */
export interface RetryOptions {
  /** Tries, the first included (at least 1). */
  readonly attempts: number;
  /** Whether a failed try is tried again while tries are left; any other error is thrown at once. */
  readonly retryable: (error: unknown) => boolean;
  /**
   * The wait before each retry. `jittered` (the default): a random wait below 2, 4, 8… ms, capped
   * at 50 ms, so that transactions that collided do not collide again in step. `none`: at once,
   * for failures that waiting does not clear.
   */
  readonly backoff?: 'jittered' | 'none';
}

/** A retry built once from {@link RetryOptions}, to run any number of times. */
export interface Retrying {
  /**
   * Runs `work`, again after each retryable failure while tries are left, and returns its first
   * result; otherwise throws the error of the last try (unwrapped). `work` gets its 1-based try.
   */
  run<T>(work: (attempt: number) => Promise<T>): Promise<T>;
}

// Full jitter over 2 · 2^n ms, at most 50 ms: the same waits as the loops this replaced.
const jittered = (): IBackoffFactory<unknown> => new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: 2, maxDelay: 50 });

/**
 * A retry of the given shape, on cockatiel's retry policy (as the router's). Build it once per
 * shape: it keeps no state between runs.
 */
export function retrying(options: RetryOptions): Retrying {
  if (!Number.isSafeInteger(options.attempts) || options.attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${options.attempts}`);
  const policy: RetryPolicy = retry(handleWhen(options.retryable), {
    // cockatiel counts the retries, not the tries.
    maxAttempts: options.attempts - 1,
    backoff: options.backoff === 'none' ? new ConstantBackoff(0) : jittered(),
  });
  return { run: (work) => policy.execute(({ attempt }) => work(attempt + 1)) };
}

/**
 * The retry of a command transaction: {@link TRANSACTION_ATTEMPTS} tries, jittered, on a transient
 * failure. The transaction must check its deadline itself (`checkDeadline`): a try started past
 * it fails with DEADLINE_EXCEEDED, which is not retried.
 */
export const transactionRetry: Retrying = retrying({ attempts: TRANSACTION_ATTEMPTS, retryable: isTransientTransactionFailure });
