import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted (and largest WebSocket message), in bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads a request body as text, refusing it as soon as it is known to exceed `limit`. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Answers a body that is too large and closes the connection: the rest of the body is still on it,
 * and a keep-alive client would otherwise send its next request behind those unread bytes.
 */
export function refuseTooLarge(res: ServerResponse, limit: number): void {
  res.shouldKeepAlive = false;
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message: `request body exceeds ${limit} bytes`, extensions: { code: 'BAD_REQUEST' } }] }));
}
