import { describe, expect, it } from 'vitest';
import { commandFailure } from '../../subgraphs/shared/commands/command-failure.js';
import { CommitOutcomeUnknownError } from '../../subgraphs/shared/database/sql.js';
import { DomainError, ErrorCode } from '../../subgraphs/shared/errors/codes.js';

/** An error shaped as node-postgres raises it for a server answer with this SQLSTATE. */
const pgError = (code: string, message = 'server error'): Error => Object.assign(new Error(message), { code });

describe('a failed command', () => {
  it('keeps a refusal as it is', () => {
    const refusal = new DomainError(ErrorCode.INSUFFICIENT_STOCK, 'only 2 available');
    expect(commandFailure(refusal, Date.now())).toBe(refusal);
  });

  it('is DEADLINE_EXCEEDED, not applied, when its statement was cancelled by the deadline', () => {
    expect(commandFailure(pgError('57014', 'canceling statement due to statement timeout'), Date.now())).toMatchObject({
      code: ErrorCode.DEADLINE_EXCEEDED,
      extensions: { outcome: 'NOT_APPLIED' },
    });
  });

  it('is STORE_UNAVAILABLE, not applied, when the database refuses connections or shuts down', () => {
    for (const error of [
      pgError('53300', 'sorry, too many clients already'),
      pgError('57P01', 'terminating connection'),
      pgError('ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
    ]) {
      expect(commandFailure(error, undefined), String(error)).toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE, extensions: { outcome: 'NOT_APPLIED' } });
    }
  });

  it('says the outcome is unknown when the connection broke during COMMIT', () => {
    expect(commandFailure(new CommitOutcomeUnknownError(new Error('Connection terminated unexpectedly')), undefined)).toMatchObject({
      code: ErrorCode.STORE_UNAVAILABLE,
      extensions: { outcome: 'UNKNOWN' },
    });
  });

  it('stays unexpected when it is a fault of the product', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(commandFailure(bug, Date.now())).toBe(bug);
    expect(commandFailure(pgError('23502', 'null value in column'), Date.now())).toBeInstanceOf(Error);
    expect(commandFailure(pgError('23502', 'null value in column'), Date.now())).not.toBeInstanceOf(DomainError);
  });
});
