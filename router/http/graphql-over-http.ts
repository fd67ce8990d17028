import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { BodyTooLargeError, readBody, refuseTooLarge } from '../../common/http/request-body.js';
import { SpanKind, contextFrom, inSpan } from '../../common/telemetry/tracing.js';
import type { RouterContext } from '../context/router-context.js';
import { formatResult, formatRouterError } from '../execution/format-result.js';
import type { RouterPipeline } from '../execution/router-pipeline.js';
import { RouterError } from '../plugins/router-error.js';
import { streamAsEvents, wantsEventStream } from './graphql-over-sse.js';
import { httpRequestHead } from './request-head.js';

/** The response media type of GraphQL over HTTP, and the older one most clients still ask for. */
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_RESPONSE = 'application/json; charset=utf-8';

export interface GraphQLOverHttpOptions {
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

function responseType(req: IncomingMessage): string {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/graphql-response+json') ? GRAPHQL_RESPONSE : JSON_RESPONSE;
}

function send(res: ServerResponse, status: number, type: string, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendErrors(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  errors: readonly GraphQLError[],
  logger: Logger,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(res, status, responseType(req), { errors: errors.map((error) => formatRouterError(error, logger)) }, headers);
}

/**
 * A GET request must prove it is not a simple cross-site request (a form or an image cannot set
 * these headers), so that a page elsewhere cannot make a browser run operations with its cookies.
 */
function passesPreflightCheck(req: IncomingMessage): boolean {
  return Boolean(req.headers['apollo-require-preflight'] || req.headers['x-apollo-operation-name'] || req.headers['graphql-require-preflight']);
}

/** The GraphQL request of a GET: `query`, `operationName`, and JSON `variables` / `extensions`. */
function requestOfQueryString(search: URLSearchParams): unknown {
  const json = (name: string): unknown => {
    const text = search.get(name);
    if (text === null || text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new RouterError('BAD_REQUEST', `"${name}" is not valid JSON`);
    }
  };
  return {
    query: search.get('query') ?? undefined,
    operationName: search.get('operationName') ?? undefined,
    variables: json('variables'),
    extensions: json('extensions'),
  };
}

/**
 * GraphQL over HTTP on `/graphql`: POST with a JSON body (queries and mutations), GET with query
 * parameters (queries only, with a preflight header). Request errors answer 4xx; results 200.
 * With `Accept: text/event-stream` (POST, or GET as an EventSource sends it) any operation,
 * subscriptions included, is streamed as Server-Sent Events (graphql-sse).
 */
export function graphqlOverHttp(pipeline: RouterPipeline, options: GraphQLOverHttpOptions) {
  const { logger } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') {
      sendErrors(res, req, 405, [new RouterError('BAD_REQUEST', `${method} is not supported: use POST, or GET for queries`)], logger, { allow: 'GET, POST' });
      return;
    }
    let body: unknown;
    try {
      if (method === 'POST') {
        const type = req.headers['content-type'] ?? '';
        if (!type.includes('application/json') && !type.includes('application/graphql-response+json')) {
          // Reading no body: close the connection rather than leave it in front of the next request.
          res.shouldKeepAlive = false;
          sendErrors(res, req, 415, [new RouterError('BAD_REQUEST', 'send the operation as application/json')], logger, { connection: 'close' });
          return;
        }
        const text = await readBody(req, options.maxBodyBytes);
        try {
          body = JSON.parse(text);
        } catch {
          throw new RouterError('BAD_REQUEST', 'the request body is not valid JSON');
        }
      } else {
        // An EventSource cannot set headers, and its GET carries no side effect but subscribing.
        if (!passesPreflightCheck(req) && !wantsEventStream(req)) {
          throw new RouterError('BAD_REQUEST', 'a GET request needs an `apollo-require-preflight` (or `graphql-require-preflight`) header');
        }
        body = requestOfQueryString(new URL(req.url ?? '/', 'http://localhost').searchParams);
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuseTooLarge(res, options.maxBodyBytes);
      if (error instanceof RouterError) return sendErrors(res, req, error.httpStatus, [error], logger);
      throw error;
    }

    const head = httpRequestHead(req);
    await inSpan(
      'graphql.request',
      { kind: SpanKind.SERVER, parent: contextFrom((name) => head.header(name)), attributes: { 'http.request.method': method } },
      async (span) => {
        let context: RouterContext;
        try {
          context = await pipeline.hooks.openContext(head, logger);
        } catch (error) {
          if (error instanceof RouterError) return sendErrors(res, req, error.httpStatus, [error], logger, error.headers);
          throw error;
        }
        const stream = wantsEventStream(req);
        const preparation = await pipeline.prepare(context, body, { mutations: method === 'POST', subscriptions: stream });
        if (!preparation.ok) {
          span.setAttribute('graphql.refused', true);
          return sendErrors(res, req, preparation.status, preparation.errors, context.logger, preparation.headers);
        }
        const { operation } = preparation.prepared;
        span.setAttributes({ 'graphql.operation.type': operation.kind, 'graphql.operation.name': operation.name ?? '' });
        if (stream) return streamAsEvents(pipeline, preparation.prepared, req, res, context.logger);
        const result = await pipeline.execute(preparation.prepared);
        if (result.errors) span.setAttribute('graphql.errors', result.errors.length);
        send(res, 200, responseType(req), formatResult(result, context.logger));
      },
    );
  };
}
