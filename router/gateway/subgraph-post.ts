import type { Dispatcher } from 'undici';
import type { ResponseSizeGuard } from '../demand-control/response-size.js';

/** Where a subgraph call goes, split once per replica URL the way the dispatcher takes it. */
export interface PostTarget {
  readonly origin: string;
  readonly path: string;
}

/** The origin and path of a subgraph URL. */
export function postTargetOf(url: string): PostTarget {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/** A subgraph's answer: its status and its whole body as text. */
export interface PostedResponse {
  readonly statusCode: number;
  readonly text: string;
}

export interface PostOptions {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Counts the body's bytes against the operation's response budget; past it the call is aborted with what it throws. */
  readonly guard?: ResponseSizeGuard | undefined;
}

/**
 * POSTs `body` and collects the answer's chunks straight from the dispatcher's callbacks: no
 * body stream, async iterator or abort signal per call, which `request()` builds for every
 * subgraph call and which cost the router CPU on every fetch of a plan. Errors are undici's own
 * (connection, headers and body timeouts), or what the guard threw.
 */
export function postToSubgraph(dispatcher: Dispatcher, target: PostTarget, options: PostOptions): Promise<PostedResponse> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    const chunks: Buffer[] = [];
    const guard = options.guard;
    const handler: Dispatcher.DispatchHandler = {
      // Its presence tells the dispatcher this handler takes the controller-style callbacks.
      onRequestStart() {},
      onResponseStart(_controller, status) {
        statusCode = status;
      },
      onResponseData(controller, chunk) {
        if (guard) {
          try {
            guard.add(chunk.length);
          } catch (error) {
            // Drops the rest of the body: onResponseError then settles the call with this error.
            controller.abort(error instanceof Error ? error : new Error(String(error)));
            return;
          }
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve({ statusCode, text });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    };
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: options.headers,
        body: options.body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
      handler,
    );
  });
}
