import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationTypeNode } from 'graphql';
import type { Logger } from 'pino';
import { formatResult } from '../execution/format-result.js';
import type { PreparedOperation, RouterPipeline } from '../execution/router-pipeline.js';

/** A comment line every this many ms keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 12_000;
/** How long a client that stopped reading has to take the end of its stream before it is cut off. */
const SLOW_CONSUMER_GRACE_MS = 10_000;

/** True when the client asks for a stream of events (GraphQL over Server-Sent Events). */
export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

function event(name: 'next' | 'complete', data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

/**
 * Streams a prepared operation as Server-Sent Events, as the graphql-sse protocol's distinct
 * connections mode has it: one `next` event per result, then `complete`. A subscription streams
 * until it ends or the client goes; a client that reads too slowly gets SLOW_CONSUMER and the
 * stream ends (it resumes with `after` and its last position).
 */
export async function streamAsEvents(
  pipeline: RouterPipeline,
  prepared: PreparedOperation,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Proxies must not hold events back to fill a buffer.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  if (prepared.operation.kind !== OperationTypeNode.SUBSCRIPTION) {
    const result = await pipeline.execute(prepared);
    res.write(event('next', JSON.stringify(formatResult(result, logger))));
    res.end(event('complete', ''));
    return;
  }
  const cutOff = () => {
    res.end();
    setTimeout(() => res.destroy(), SLOW_CONSUMER_GRACE_MS).unref();
  };
  const stream = await pipeline.subscribe(prepared, cutOff);
  if (!(Symbol.asyncIterator in stream)) {
    res.write(event('next', JSON.stringify(formatResult(stream, logger))));
    res.end(event('complete', ''));
    return;
  }
  const keepAlive = setInterval(() => res.write(':\n\n'), KEEP_ALIVE_MS);
  const stop = () => {
    clearInterval(keepAlive);
    void stream.return?.();
  };
  req.socket.once('close', stop);
  try {
    for await (const result of stream) {
      if (res.writableEnded || res.destroyed) break;
      // Wait for the client to take what was written before writing more.
      if (!res.write(event('next', JSON.stringify(formatResult(result, logger))))) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    if (!res.writableEnded) res.end(event('complete', ''));
  } finally {
    stop();
    req.socket.off('close', stop);
  }
}
