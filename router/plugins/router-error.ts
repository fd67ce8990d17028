import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';

/**
 * A refusal raised by the router or one of its plugins: a coded GraphQL error and the HTTP status
 * the whole request gets when it is refused before any data is produced. Over WebSocket the same
 * error arrives as the operation's `error` message (or closes the connection when raised while it
 * is being opened).
 */
export class RouterError extends GraphQLError {
  readonly httpStatus: number;

  constructor(
    code: string,
    message: string,
    options: {
      httpStatus?: number;
      extensions?: GraphQLErrorExtensions;
      headers?: Readonly<Record<string, string>>;
      path?: ReadonlyArray<string | number>;
    } = {},
  ) {
    super(message, { extensions: { ...options.extensions, code }, ...(options.path ? { path: options.path } : {}) });
    this.name = 'RouterError';
    this.httpStatus = options.httpStatus ?? 400;
    this.headers = options.headers ?? {};
  }

  /** Response headers that go with the refusal over HTTP (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A refusal with several errors (e.g. each field a caller may not see), all sent to the client. */
export class OperationRefused extends Error {
  constructor(
    readonly errors: readonly GraphQLError[],
    readonly httpStatus: number,
  ) {
    super(errors.map((error) => error.message).join('; '));
    this.name = 'OperationRefused';
  }
}

/** The HTTP status of a refusal: its own, or 400 for other GraphQL request errors. */
export function httpStatusOf(errors: readonly GraphQLError[]): number {
  for (const error of errors) if (error instanceof RouterError) return error.httpStatus;
  return 400;
}
