import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { MAX_BODY_BYTES } from '../../common/http/request-body.js';
import type { RouterPipeline } from '../execution/router-pipeline.js';
import { graphqlOverHttp } from '../http/graphql-over-http.js';
import type { RouterMetrics } from '../metrics/router-metrics.js';
import type { HttpRoute } from '../plugins/contract.js';
import { serveGraphqlWs, type WebSocketLimits } from '../websocket/graphql-ws-transport.js';

export interface RouterServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly pipeline: RouterPipeline;
  /** HTTP routes of the plugins, tried in order before `/graphql`. */
  readonly routes: readonly HttpRoute[];
  /** graphql-ws: close sockets that do not send connection_init in time. */
  readonly connectionInitWaitTimeoutMs?: number;
  /** Largest HTTP body and WebSocket message, in bytes. */
  readonly maxBodyBytes?: number;
  readonly websocket?: Partial<WebSocketLimits>;
  readonly metrics?: RouterMetrics;
}

export interface RunningRouterServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** HTTP (queries, mutations, plugin routes) and graphql-ws (all operations) on one port. */
export async function startRouterServer(options: RouterServerOptions): Promise<RunningRouterServer> {
  const { logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const handleGraphQL = graphqlOverHttp(options.pipeline, { maxBodyBytes, logger });

  const http = createServer((req, res) => {
    void (async () => {
      for (const route of options.routes) if (await route(req, res)) return;
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/graphql') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      await handleGraphQL(req, res);
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });

  // A WebSocket message may be as large as an HTTP body, no larger.
  const wss = new WebSocketServer({ server: http, path: '/graphql', maxPayload: maxBodyBytes });
  const ws = serveGraphqlWs(options.pipeline, wss, {
    logger,
    connectionInitWaitTimeoutMs: options.connectionInitWaitTimeoutMs ?? 3_000,
    ...(options.websocket ? { limits: options.websocket } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });

  await new Promise<void>((resolve) => http.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}/graphql`;
  return {
    url,
    server: http,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'router shutting down');
      await ws.dispose();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
