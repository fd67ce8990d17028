import { ErrorCode } from './coded-error.js';

/**
 * Codes a client may see with their original message; any other error reaches clients as
 * INTERNAL_SERVER_ERROR with a masked message.
 */
export const PUBLIC_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Request errors.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
  // Protection: operation limits, demand control, response size.
  'MAX_OPERATION_SIZE_EXCEEDED',
  'MAX_DEPTH_EXCEEDED',
  'MAX_HEIGHT_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_ROOT_FIELDS_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'RESPONSE_TOO_LARGE',
  'TOO_MANY_SUBSCRIPTIONS',
  // Router → subgraph calls: the subgraph is named in `serviceName`.
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_UNREACHABLE',
  'SUBGRAPH_HTTP_ERROR',
  'SUBGRAPH_BAD_RESPONSE',
  'SUBGRAPH_CIRCUIT_OPEN',
  'SUBGRAPH_OVERLOADED',
  // Router streams: the client should resubscribe with its last position.
  'SUPERGRAPH_RELOADED',
  'SLOW_CONSUMER',
  'SHUTTING_DOWN',
]);
