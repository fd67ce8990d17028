import { DomainError, ErrorCode } from '../../../common/errors/coded-error.js';

export { DomainError, ErrorCode, isDomainError } from '../../../common/errors/coded-error.js';

/** Shorthand constructors keep call sites short and the messages uniform. */
export const badInput = (message: string, field?: string): DomainError => new DomainError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

export const notFound = (what: string, id: string): DomainError => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} was not found`, { id });

export const concurrencyConflict = (streamId: string, expected: string | bigint | number, currentVersion: number): DomainError =>
  new DomainError(ErrorCode.CONCURRENCY_CONFLICT, `stream ${streamId} is at version ${currentVersion}, expected ${String(expected)}`, {
    streamId,
    currentVersion,
  });
