import { RouterError } from '../plugins/router-error.js';

/** The fields of a GraphQL request, checked. */
export interface GraphQLRequest {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a request body (HTTP JSON, GET parameters, a graphql-ws subscribe payload). */
export function readGraphQLRequest(body: unknown): GraphQLRequest {
  if (!isRecord(body)) throw new RouterError('BAD_REQUEST', 'the request must be a JSON object with a "query"');
  const { query, operationName, variables, extensions } = body;
  if (extensions !== undefined && extensions !== null && !isRecord(extensions)) throw new RouterError('BAD_REQUEST', '"extensions" must be an object');
  if (typeof query !== 'string' || query.length === 0) {
    if (isRecord(extensions) && 'persistedQuery' in extensions) {
      throw new RouterError('PERSISTED_QUERY_NOT_SUPPORTED', 'persisted queries are not supported: send the query text');
    }
    throw new RouterError('BAD_REQUEST', '"query" must be a non-empty string');
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new RouterError('BAD_REQUEST', '"operationName" must be a string');
  }
  if (variables !== undefined && variables !== null && !isRecord(variables)) throw new RouterError('BAD_REQUEST', '"variables" must be an object');
  return {
    query,
    operationName: operationName ?? undefined,
    variables: variables ?? {},
    extensions: isRecord(extensions) ? extensions : undefined,
  };
}
