import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createRouterGateway } from './gateway/router-gateway.js';
import { createSubgraphAgent, type SubgraphHttpOptions } from './gateway/subgraph-data-source.js';
import { healthRoutes } from './health/health-routes.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { startRouterServer } from './server/router-server.js';
import { SubscriptionEngine } from './subscriptions/subscription-engine.js';
import { UpstreamClients } from './subscriptions/upstream-clients.js';
import { loadSupergraph, type LoadedSupergraph } from './supergraph/load-supergraph.js';
import type { SupergraphSource } from './supergraph/supergraph-source.js';

export interface StartRouterOptions {
  readonly supergraph: SupergraphSource;
  readonly port?: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Subgraph URL by name, overriding the supergraph's routing URLs. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  readonly http?: SubgraphHttpOptions;
  /** Extra HTTP routes (playground, metrics), tried before GraphQL. */
  readonly routes?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean>;
  readonly connectionInitWaitTimeoutMs?: number;
}

export interface RunningRouter {
  readonly url: string;
  readonly wsUrl: string;
  readonly engine: SubscriptionEngine;
  readonly upstreams: UpstreamClients;
  current(): LoadedSupergraph;
  /** Loads a new supergraph SDL now (the file watcher calls this too). */
  reload(sdl: string): void;
  close(): Promise<void>;
}

/** Starts the router: gateway for queries and mutations, subscription engine, health, reloads. */
export async function startRouter(options: StartRouterOptions): Promise<RunningRouter> {
  const logger = options.logger.child({ component: 'router' });
  let loaded = loadSupergraph(await options.supergraph.load(), options.subgraphUrls);
  const agent = createSubgraphAgent(options.http);
  const gateway = createRouterGateway(loaded, agent, options.http);
  const upstreams = new UpstreamClients();
  const engine = new SubscriptionEngine(loaded, gateway, upstreams, logger);
  const metrics = metricsRoute(() => engine);
  const server = await startRouterServer({
    port: options.port ?? 4000,
    ...(options.host ? { host: options.host } : {}),
    logger,
    gateway,
    engine,
    supergraph: () => loaded,
    routes: [healthRoutes(() => loaded, agent), metrics, ...(options.routes ?? [])],
    ...(options.connectionInitWaitTimeoutMs ? { connectionInitWaitTimeoutMs: options.connectionInitWaitTimeoutMs } : {}),
  });

  const reload = (sdl: string) => {
    try {
      const next = loadSupergraph(sdl, options.subgraphUrls);
      loaded = next;
      gateway.update(next);
      engine.reload(next);
      logger.info({ subgraphs: next.services.map((service) => service.name) }, 'supergraph reloaded');
    } catch (error) {
      logger.error({ err: error }, 'new supergraph rejected; keeping the current one');
    }
  };
  const stopWatching = options.supergraph.watch(reload);
  logger.info({ url: server.url }, 'router listening');

  return {
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    engine,
    upstreams,
    current: () => loaded,
    reload,
    close: async () => {
      stopWatching();
      await engine.close();
      await server.close();
      await upstreams.close();
      await agent.close();
    },
  };
}
