import { GraphQLError } from 'graphql';

/** The fixed set of `extensions.code` values of the product's domain errors. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  CONCURRENCY_CONFLICT: 'CONCURRENCY_CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A command the router had stopped waiting for was not run (or was rolled back). */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The database could not run a command (down, out of connections); `outcome` says if it may have committed. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error a client caused or may act on. Domain code throws it; the GraphQL layer turns it into a
 * `GraphQLError` whose `extensions` hold `code` and the extra fields (for example `currentVersion`).
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, { extensions: { ...this.extensions, code: this.code } });
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
