import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from 'undici';
import { fetch } from 'undici';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';

export interface SubgraphProbe {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** Asks every subgraph for `{ __typename }`; a subgraph is reachable when it answers in time. */
export async function probeSubgraphs(supergraph: LoadedSupergraph, agent: Agent, timeoutMs = 2000): Promise<SubgraphProbe[]> {
  return Promise.all(
    supergraph.services.map(async (service) => {
      try {
        const response = await fetch(service.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        return { name: service.name, url: service.url, ok: response.ok };
      } catch (error) {
        return { name: service.name, url: service.url, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `/health`: the process is alive. `/ready`: a supergraph is loaded and every subgraph answers,
 * so a load balancer only sends traffic that can be served.
 */
export function healthRoutes(supergraph: () => LoadedSupergraph | undefined, agent: Agent) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/ready') {
      const loaded = supergraph();
      if (!loaded) {
        sendJson(res, 503, { status: 'unavailable', reason: 'no supergraph loaded' });
        return true;
      }
      const subgraphs = await probeSubgraphs(loaded, agent);
      const ready = subgraphs.every((probe) => probe.ok);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs });
      return true;
    }
    return false;
  };
}
