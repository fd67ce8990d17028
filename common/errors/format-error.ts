import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, isDomainError, type DomainError } from './coded-error.js';
import { PUBLIC_CODES } from './public-codes.js';

/** Finds the DomainError behind a GraphQL error, however deeply it was wrapped. */
function domainErrorOf(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (isDomainError(current)) return current;
    current = current instanceof GraphQLError ? current.originalError : (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Shapes every error a client receives: domain errors keep their code and extensions; GraphQL
 * request errors keep theirs; anything unexpected becomes INTERNAL_SERVER_ERROR with a masked
 * message (the original is logged by the caller).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const domain = domainErrorOf(error);
  if (domain) {
    return {
      message: domain.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...domain.extensions, code: domain.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) return formatted;
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** True when the error was not caused by the client and deserves a log line. */
export function isUnexpected(error: unknown): boolean {
  if (domainErrorOf(error)) return false;
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return !(typeof code === 'string' && PUBLIC_CODES.has(code));
}

/**
 * graphql-ws reports parse and validation failures as bare GraphQLErrors (no code, no original
 * error). Give them the codes Apollo Server uses over HTTP so both transports answer alike.
 */
export function withRequestErrorCode(error: GraphQLError): GraphQLError {
  if (error.originalError || typeof error.extensions.code === 'string') return error;
  const code = error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}
