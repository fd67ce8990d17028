import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, getVariableValues, type ExecutionResult, type GraphQLSchema } from 'graphql';
import Negotiator from 'negotiator';
import { CompiledOperations } from './compiled-operations.js';
import { formatExecutionErrors, type ErrorFormatter } from './execution-errors.js';

/** The content types Apollo Server answers a single result with, as it names them. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_CONTENT_TYPE = 'application/graphql-response+json; charset=utf-8';
/** What Apollo Server chooses a single result's content type among, in its order. */
const SINGLE_RESULT_TYPES = [JSON_CONTENT_TYPE, GRAPHQL_RESPONSE_CONTENT_TYPE, 'application/json; callbackSpec=1.0; charset=utf-8'];
/** A JSON content type: not one a browser sends cross-origin without a preflight. */
const JSON_REQUEST_TYPE = /^application\/json\s*(;|$)/i;
/** Most distinct Accept values whose negotiated content type is kept (callers send a handful). */
const MOST_ACCEPT_VALUES = 64;

/**
 * The content type of the answer to `accept`, when the short path serves it: negotiated as Apollo
 * Server negotiates a single result, for lists of plain media types (what gateways send, e.g.
 * `application/graphql-response+json, application/json, multipart/mixed`). Values with q-values
 * or parameters, and those that negotiate to neither JSON type, are the full pipeline's.
 */
class AcceptedContentTypes {
  private readonly known = new Map<string, string | undefined>([
    ['*/*', JSON_CONTENT_TYPE],
    ['application/json', JSON_CONTENT_TYPE],
  ]);

  of(accept: string | undefined): string | undefined {
    if (accept === undefined) return JSON_CONTENT_TYPE;
    if (this.known.has(accept)) return this.known.get(accept);
    const chosen = accept.includes(';') ? undefined : new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES);
    const served = chosen === JSON_CONTENT_TYPE || chosen === GRAPHQL_RESPONSE_CONTENT_TYPE ? chosen : undefined;
    if (this.known.size < MOST_ACCEPT_VALUES) this.known.set(accept, served);
    return served;
  }
}

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

/** The content type to answer with when the request's head is one the short path serves as Apollo Server would. */
function plainHead(req: IncomingMessage, accepted: AcceptedContentTypes): string | undefined {
  if (req.method !== 'POST') return undefined;
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_REQUEST_TYPE.test(type)) return undefined;
  return accepted.of(req.headers.accept);
}

/** Serves a request whose body is read: true when it answered, false to let the full pipeline answer. */
export type LeanGraphQL<Context> = (req: IncomingMessage, res: ServerResponse, body: unknown, context: () => Context) => Promise<boolean>;

/**
 * The common case of a subgraph call on a short path: a JSON POST of one operation that parses,
 * validates and compiles (once per distinct text, see CompiledOperations) and whose variables
 * coerce is executed (a query by its compiled function, a mutation by graphql-js) and, unless a
 * query met errors, answered as Apollo Server answers it (the same status, content type, error
 * formatting and field order, the content type it would negotiate), serialized once, with a
 * content length. Anything else (GET, persisted queries, Accept values with q-values, parse,
 * validation or variable errors) is left to Apollo Server, which gives those their codes.
 */
export function leanGraphQL<Context>(schema: GraphQLSchema, formatError: ErrorFormatter): LeanGraphQL<Context> {
  const operations = new CompiledOperations(schema);
  const accepted = new AcceptedContentTypes();
  return async (req, res, body, context) => {
    const contentType = plainHead(req, accepted);
    if (contentType === undefined) return false;
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
    headers['content-type'] ??= contentType;
    headers['content-length'] = Buffer.byteLength(text);
    res.writeHead(formatted?.http.status ?? 200, headers);
    res.end(text);
    return true;
  };
}
