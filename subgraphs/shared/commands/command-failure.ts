import { CommitOutcomeUnknownError, PgErrorCode, sqlState } from '../database/sql.js';
import { DomainError, ErrorCode, isDomainError } from '../errors/codes.js';
import { deadlineExceeded } from './deadline.js';

/**
 * SQLSTATE classes of a database that cannot serve: connection exceptions (08), insufficient
 * resources such as too many connections (53), operator intervention such as a shutdown (57).
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57']);

/** Errors of the driver raised before it reached the server (refused, reset, timed out). */
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

function isUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined) return false;
  return UNAVAILABLE_CLASSES.has(state.slice(0, 2)) || UNREACHABLE_ERRNOS.has(state);
}

/** Node-postgres reports a lost connection with these messages and no code at all. */
function isConnectionLoss(error: unknown): boolean {
  return error instanceof Error && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

/**
 * What a client is told of a command that failed for a reason other than a refusal, so that every
 * failed mutation says whether it may have been applied. A statement stopped by the timeout the
 * deadline set is the deadline's refusal (its transaction was rolled back); a database that cannot
 * serve is STORE_UNAVAILABLE, not applied unless the connection broke during COMMIT. Anything
 * else is a fault of the product and stays unexpected (logged, masked).
 */
export function commandFailure(error: unknown, deadline: number | undefined): unknown {
  if (isDomainError(error)) return error;
  if (error instanceof CommitOutcomeUnknownError) {
    return new DomainError(ErrorCode.STORE_UNAVAILABLE, 'the database connection broke while the command was committing', { outcome: 'UNKNOWN' });
  }
  if (deadline !== undefined && sqlState(error) === PgErrorCode.QUERY_CANCELED) return deadlineExceeded(deadline);
  if (isUnavailable(error) || isConnectionLoss(error)) {
    return new DomainError(ErrorCode.STORE_UNAVAILABLE, 'the database could not run the command; nothing was written', { outcome: 'NOT_APPLIED' });
  }
  return error;
}
