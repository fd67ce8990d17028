import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouterPlugin } from '../plugins/contract.js';

export interface CorsOptions {
  /**
   * Origins allowed to call the router from a browser: exact origins (`https://app.example.com`),
   * or `localhost` for any http(s) origin on localhost, 127.0.0.1 or [::1], whatever its port.
   */
  readonly origins: readonly string[];
  /** Let browsers send cookies and HTTP authentication with their calls. */
  readonly allowCredentials?: boolean;
  /** How long a browser may reuse a preflight answer, in seconds. */
  readonly maxAgeSeconds?: number;
}

/** The development default: pages served from this machine. */
export const DEVELOPMENT_CORS: CorsOptions = { origins: ['localhost'] };

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;
const ALLOWED_HEADERS =
  'authorization, content-type, accept, x-correlation-id, traceparent, tracestate, apollo-require-preflight, graphql-require-preflight, x-apollo-operation-name';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';

function allows(options: CorsOptions, origin: string): boolean {
  return options.origins.some((allowed) => (allowed === 'localhost' ? LOCAL_ORIGIN.test(origin) : allowed === origin || allowed === '*'));
}

/**
 * CORS for browser apps on other origins: answers preflights on `/graphql` (204), and marks the
 * responses to allowed origins. A request from an origin not allowed gets no CORS headers, so
 * the browser keeps its response from the page.
 */
export function useCors(options: CorsOptions): RouterPlugin {
  const wildcard = options.origins.includes('*') && !options.allowCredentials;
  const route = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/graphql') return false;
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && allows(options, origin);
    if (allowed) {
      res.setHeader('access-control-allow-origin', wildcard ? '*' : origin);
      if (!wildcard) res.setHeader('vary', 'Origin');
      if (options.allowCredentials) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'retry-after, www-authenticate');
    }
    if (req.method !== 'OPTIONS') return false;
    // A preflight: answered here, whether the origin is allowed or not (then without CORS headers).
    if (allowed) {
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', String(options.maxAgeSeconds ?? 600));
    }
    res.writeHead(204);
    res.end();
    return true;
  };
  return { name: 'cors', routes: [route] };
}
