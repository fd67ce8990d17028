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
 * Serves an ApolloServer on Node's http module (the integration contract of @apollo/server):
 * parses the body, runs the request, streams the response.
 */
export function apolloRequestHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (req: IncomingMessage) => Promise<Context>,
  options: { maxBodyBytes?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let body: unknown;
    try {
      const text = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
      const type = req.headers['content-type'] ?? '';
      body = text.length > 0 && type.includes('json') ? JSON.parse(text) : text;
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuseTooLarge(res, options.maxBodyBytes ?? MAX_BODY_BYTES);
      return sendJsonError(res, 400, 'request body is not valid JSON', 'BAD_REQUEST');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: toHeaderMap(req), search: url.search, body },
      context: () => context(req),
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
  };
}
