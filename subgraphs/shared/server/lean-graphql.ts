import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, getVariableValues, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CompiledOperations } from './compiled-operations.js';
import { formatExecutionErrors, type ErrorFormatter } from './execution-errors.js';

/** What Apollo Server answers a single result with when the client accepts JSON. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Accept headers that negotiate to {@link JSON_CONTENT_TYPE}; others go to the full pipeline. */
const JSON_ACCEPTS = new Set(['*/*', 'application/json']);
/** A JSON content type: not one a browser sends cross-origin without a preflight. */
const JSON_REQUEST_TYPE = /^application\/json\s*(;|$)/i;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The operation of a POST body, when it has the plain shape the lean path serves. */
interface PlainRequest {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: JsonObject | undefined;
}

function plainRequest(body: unknown): PlainRequest | undefined {
  if (!isObject(body)) return undefined;
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== 'string' || query.length === 0) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && !isObject(variables)) return undefined;
  // Persisted queries and any other extension protocol are the full pipeline's.
  if (extensions != null && (!isObject(extensions) || 'persistedQuery' in extensions)) return undefined;
  return { query, operationName: operationName ?? undefined, variables: variables ?? undefined };
}

/** True when the request's head is one the lean path answers exactly as Apollo Server would. */
function plainHead(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_REQUEST_TYPE.test(type)) return false;
  const accept = req.headers.accept;
  return accept === undefined || JSON_ACCEPTS.has(accept.trim());
}

/** Serves a request whose body is read: true when it answered, false to let the full pipeline answer. */
export type LeanGraphQL<Context> = (req: IncomingMessage, res: ServerResponse, body: unknown, context: () => Context) => Promise<boolean>;

/**
 * The common case of a subgraph call on a short path: a JSON POST of one operation that parses,
 * validates and compiles (once per distinct text, see CompiledOperations) and whose variables
 * coerce is executed (a query by its compiled function, a mutation by graphql-js) and, unless a
 * query met errors, answered as Apollo Server answers it (the same status, content type, error
 * formatting and field order), serialized once, with a content length. Anything else (GET,
 * persisted queries, other content negotiation, parse, validation or variable errors) is left to
 * Apollo Server, which gives those their codes.
 */
export function leanGraphQL<Context>(schema: GraphQLSchema, formatError: ErrorFormatter): LeanGraphQL<Context> {
  const operations = new CompiledOperations(schema);
  return async (req, res, body, context) => {
    if (!plainHead(req)) return false;
    const request = plainRequest(body);
    if (!request) return false;
    const compiled = operations.get(request.query, request.operationName);
    if (!compiled) return false;
    const variables = request.variables ?? {};
    // Variables graphql-js would refuse are Apollo Server's to refuse, in its words (BAD_USER_INPUT,
    // 400). A compiled query coerces them its own way, so they are checked first; graphql-js's
    // `execute` of a mutation checks them itself and answers no data (handed over below).
    if (compiled.query && getVariableValues(schema, compiled.operation.variableDefinitions ?? [], variables, { maxErrors: 1 }).errors) return false;
    const result: ExecutionResult = compiled.query
      ? await compiled.query.query(undefined, context(), variables)
      : await execute({ schema, document: compiled.document, contextValue: context(), variableValues: variables, operationName: request.operationName });
    // No data at all: nothing ran (the variables were refused). Apollo Server answers.
    if (result.data === undefined) return false;
    // A compiled query reports every error it met, also under fields a null has already taken
    // away, where graphql-js stops: a query that failed somewhere runs again through Apollo Server
    // (it reads only), so error answers stay graphql-js's.
    if (compiled.query && result.errors?.length) return false;
    const formatted = result.errors ? formatExecutionErrors(result.errors, formatError) : undefined;
    // Apollo Server's field order: errors, data, extensions (absent ones are left out).
    const text = `${JSON.stringify({ errors: formatted?.errors, data: result.data, extensions: result.extensions })}\n`;
    const headers: Record<string, string | number> = {};
    for (const [name, value] of formatted?.http.headers ?? []) headers[name] = value;
    headers['content-type'] ??= JSON_CONTENT_TYPE;
    headers['content-length'] = Buffer.byteLength(text);
    res.writeHead(formatted?.http.status ?? 200, headers);
    res.end(text);
    return true;
  };
}
