import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Formats one error for the client: the subgraph's formatError (codes, masking, logging). */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The HTTP status and headers errors ask for through `extensions.http`, as Apollo Server reads them. */
export interface HttpFromErrors {
  status: number | undefined;
  readonly headers: Map<string, string>;
}

/** The errors of an executed operation as the client receives them, and the HTTP head they ask for. */
export interface FormattedErrors {
  readonly errors: GraphQLFormattedError[];
  readonly http: HttpFromErrors;
}

const isHttpHead = (value: unknown): value is { status?: number; headers?: Map<string, string> } =>
  typeof value === 'object' &&
  value !== null &&
  (!('status' in value) || typeof value.status === 'number') &&
  (!('headers' in value) || value.headers instanceof Map);

/**
 * The same error with an (empty) `extensions`, as graphql-js always gives one: errors of compiled
 * queries have none when their cause has none (a non-null violation, an unexpected throw), and
 * formatters read it.
 */
function withExtensions(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: {} });
}

/**
 * Formats the errors of an execution exactly as Apollo Server does for a subgraph (its error
 * normalization, without stack traces): each error gets a `code` (INTERNAL_SERVER_ERROR unless it
 * has one), an `extensions.http` is taken out and applied to the response, then `format` shapes it;
 * a formatter that throws yields a masked internal error.
 */
export function formatExecutionErrors(errors: readonly GraphQLError[], format: ErrorFormatter): FormattedErrors {
  const http: HttpFromErrors = { status: undefined, headers: new Map() };
  const formatted = errors.map((error) => {
    try {
      const own = error.extensions as GraphQLError['extensions'] | undefined;
      const extensions: Record<string, unknown> = { ...own, code: own?.code ?? 'INTERNAL_SERVER_ERROR' };
      if (isHttpHead(extensions.http)) {
        if (extensions.http.status) http.status = extensions.http.status;
        for (const [name, value] of extensions.http.headers ?? []) http.headers.set(name.toLowerCase(), value);
        delete extensions.http;
      }
      return format({ ...error.toJSON(), extensions }, own ? error : withExtensions(error));
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { errors: formatted, http };
}
