import { describe, expect, it } from 'vitest';
import { PgErrorCode } from '../../subgraphs/shared/database/sql.js';
import { TRANSACTION_ATTEMPTS, isTransientTransactionFailure, retrying, transactionRetry } from '../../subgraphs/shared/commands/retry.js';

/** An error as the PostgreSQL drivers report one, with its SQLSTATE. */
const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('retrying', () => {
  it('tries again after a retryable failure and answers the first success, numbering tries from 1', async () => {
    const seen: number[] = [];
    const result = await retrying({ attempts: 5, retryable: () => true, backoff: 'none' }).run(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Error('not yet');
      return `done on ${attempt}`;
    });
    expect(result).toBe('done on 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after the given number of tries with the last error itself', async () => {
    let tries = 0;
    const last = new Error('still failing');
    await expect(
      retrying({ attempts: 4, retryable: () => true, backoff: 'none' }).run(async () => {
        tries += 1;
        throw tries === 4 ? last : new Error(`try ${tries}`);
      }),
    ).rejects.toBe(last);
    expect(tries).toBe(4);
  });

  it('throws an error that is not retryable at once', async () => {
    let tries = 0;
    const refusal = new Error('refused');
    await expect(
      retrying({ attempts: 10, retryable: (error) => error !== refusal }).run(async () => {
        tries += 1;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(tries).toBe(1);
  });

  it('refuses to be built with fewer than one try', () => {
    expect(() => retrying({ attempts: 0, retryable: () => true })).toThrow(RangeError);
  });
});

describe('transactionRetry', () => {
  it('retries serialization failures and deadlocks only', () => {
    expect(isTransientTransactionFailure(pgError(PgErrorCode.SERIALIZATION_FAILURE))).toBe(true);
    expect(isTransientTransactionFailure(pgError(PgErrorCode.DEADLOCK_DETECTED))).toBe(true);
    expect(isTransientTransactionFailure(pgError(PgErrorCode.UNIQUE_VIOLATION))).toBe(false);
    expect(isTransientTransactionFailure(new Error('boom'))).toBe(false);
  });

  it(`tries a transaction that keeps deadlocking ${TRANSACTION_ATTEMPTS} times, then reports the deadlock`, async () => {
    let tries = 0;
    await expect(
      transactionRetry.run(async () => {
        tries += 1;
        throw pgError(PgErrorCode.DEADLOCK_DETECTED);
      }),
    ).rejects.toMatchObject({ code: PgErrorCode.DEADLOCK_DETECTED });
    expect(tries).toBe(TRANSACTION_ATTEMPTS);
  });
});
