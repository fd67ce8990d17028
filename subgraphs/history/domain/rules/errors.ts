import { DomainError, ErrorCode } from '../../../shared/errors/codes.js';

/**
 * Why a history command was refused, carried in `extensions.reason` next to the fixed
 * `extensions.code` (BAD_USER_INPUT), so clients can tell the cases apart without parsing messages.
 */
export const HistoryErrorReason = {
  CONTENT_EMPTY: 'CONTENT_EMPTY',
  CONTENT_TOO_LARGE: 'CONTENT_TOO_LARGE',
  PROMPT_TOO_LARGE: 'PROMPT_TOO_LARGE',
  INVALID_FIELD: 'INVALID_FIELD',
  ENTRY_EXISTS: 'ENTRY_EXISTS',
  ENTRY_DELETED: 'ENTRY_DELETED',
  SELF_COMPARISON: 'SELF_COMPARISON',
  COMPARISON_EXISTS: 'COMPARISON_EXISTS',
  UNKNOWN_ASSESSOR: 'UNKNOWN_ASSESSOR',
  JOB_EXISTS: 'JOB_EXISTS',
  JOB_NOT_RUNNING: 'JOB_NOT_RUNNING',
  PROGRESS_NOT_MONOTONIC: 'PROGRESS_NOT_MONOTONIC',
  UNKNOWN_VERSION: 'UNKNOWN_VERSION',
} as const;

export type HistoryErrorReason = (typeof HistoryErrorReason)[keyof typeof HistoryErrorReason];

/** A BAD_USER_INPUT error naming the field and the reason. */
export function historyInputError(reason: HistoryErrorReason, message: string, field?: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, ...(field ? { field } : {}) });
}

/** The entry does not exist (never created). */
export const entryNotFound = (entryId: string, field?: string): DomainError =>
  new DomainError(ErrorCode.NOT_FOUND, `history entry ${entryId} was not found`, { id: entryId, ...(field ? { field } : {}) });

/** The entry was soft-deleted: it cannot be changed, assessed or compared any more. */
export const entryDeleted = (entryId: string, field = 'id'): DomainError =>
  historyInputError(HistoryErrorReason.ENTRY_DELETED, `history entry ${entryId} is deleted`, field);
