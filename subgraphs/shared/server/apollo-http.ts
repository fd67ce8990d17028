import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, refuseTooLarge } from '../../../common/http/request-body.js';

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function sendJsonError(res: ServerResponse, status: number, message: string, code: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Reads a GraphQL request's body as Apollo Server expects it: JSON when the content type says so,
 * else the text. A body that is too large or not valid JSON is answered here (413 / 400), and
 * `undefined` tells the caller the request is done.
 */
export async function readGraphQLBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number = MAX_BODY_BYTES,
): Promise<{ body: unknown } | undefined> {
  let text: string;
  try {
    text = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) refuseTooLarge(res, maxBodyBytes);
    else sendJsonError(res, 400, 'request body is not valid JSON', 'BAD_REQUEST');
    return undefined;
  }
  const type = req.headers['content-type'] ?? '';
  if (text.length === 0 || !type.includes('json')) return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    sendJsonError(res, 400, 'request body is not valid JSON', 'BAD_REQUEST');
    return undefined;
  }
}

/** Runs one request whose body is already read through Apollo Server and writes its response. */
export async function runApolloRequest<Context extends BaseContext>(
  server: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<Context>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers: toHeaderMap(req), search: url.search, body },
    context,
  });
  const headers: Record<string, string> = {};
  for (const [key, value] of response.headers) headers[key] = value;
  res.writeHead(response.status ?? 200, headers);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Serves an ApolloServer on Node's http module (the integration contract of @apollo/server):
 * parses the body, runs the request, streams the response.
 */
export function apolloRequestHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (req: IncomingMessage) => Promise<Context>,
  options: { maxBodyBytes?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const read = await readGraphQLBody(req, res, options.maxBodyBytes);
    if (read) await runApolloRequest(server, req, res, read.body, () => context(req));
  };
}
