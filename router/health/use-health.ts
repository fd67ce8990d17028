import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SubgraphServices } from '../gateway/subgraph-services.js';
import type { RouterPlugin } from '../plugins/contract.js';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `/health`: the process is alive. `/ready`: every subgraph answers a signed `{ __typename }`, so
 * a load balancer only sends traffic that can be served.
 */
export function useHealth(services: () => SubgraphServices): RouterPlugin {
  return {
    name: 'health',
    routes: [
      async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/health') {
          sendJson(res, 200, { status: 'ok' });
          return true;
        }
        if (path !== '/ready') return false;
        const subgraphs = await services().probe();
        const ready = subgraphs.every((probe) => probe.ok);
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs });
        return true;
      },
    ],
  };
}
