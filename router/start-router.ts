import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RouterPipeline } from './execution/router-pipeline.js';
import { createSubgraphAgent, type SubgraphHttpOptions } from './gateway/subgraph-data-source.js';
import { SubgraphServices } from './gateway/subgraph-services.js';
import { useHealth } from './health/use-health.js';
import { RouterMetrics } from './metrics/router-metrics.js';
import { useMetrics } from './metrics/use-metrics.js';
import type { RouterPlugin } from './plugins/contract.js';
import { HookRunner } from './plugins/hook-runner.js';
import { startRouterServer } from './server/router-server.js';
import type { WebSocketLimits } from './websocket/graphql-ws-transport.js';
import { SubscriptionEngine } from './subscriptions/subscription-engine.js';
import { UpstreamClients } from './subscriptions/upstream-clients.js';
import { loadSupergraph, type LoadedSupergraph, type SubgraphUrlOverrides } from './supergraph/load-supergraph.js';
import type { SubgraphPolicies } from './resilience/subgraph-policy.js';
import type { SupergraphSource } from './supergraph/supergraph-source.js';

export interface StartRouterOptions {
  readonly supergraph: SupergraphSource;
  /**
   * The router's plugins, in order: their hooks run in this order for every operation, over HTTP
   * and WebSocket alike (see `routerPlugins` for the built-in list a config describes). Health and
   * metrics endpoints are added after them.
   */
  readonly plugins: readonly RouterPlugin[];
  readonly port?: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Subgraph URL (or one per replica) by name, overriding the supergraph's routing URLs. */
  readonly subgraphUrls?: SubgraphUrlOverrides;
  /** Timeouts, retries, circuit breakers and bulkheads per subgraph (defaults: DEFAULT_SUBGRAPH_POLICY). */
  readonly policies?: SubgraphPolicies;
  readonly http?: SubgraphHttpOptions;
  /** Extra HTTP routes (playground, dashboard), tried before GraphQL. */
  readonly routes?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean>;
  readonly connectionInitWaitTimeoutMs?: number;
  /** Largest HTTP body and WebSocket message, in bytes. */
  readonly maxBodyBytes?: number;
  /** The most a query or mutation may receive from its subgraphs, in bytes (RESPONSE_TOO_LARGE beyond). */
  readonly maxResponseBytes?: number;
  /** WebSocket limits and backpressure (see WebSocketLimits). */
  readonly websocket?: Partial<WebSocketLimits>;
}

export interface RunningRouter {
  readonly url: string;
  readonly wsUrl: string;
  readonly engine: SubscriptionEngine;
  readonly upstreams: UpstreamClients;
  readonly services: SubgraphServices;
  readonly metrics: RouterMetrics;
  current(): LoadedSupergraph;
  /** Loads a new supergraph SDL now (the file watcher calls this too). */
  reload(sdl: string): void;
  close(): Promise<void>;
}

/** Starts the router: the plugin pipeline on HTTP and graphql-ws, subscriptions, health, reloads. */
export async function startRouter(options: StartRouterOptions): Promise<RunningRouter> {
  const logger = options.logger.child({ component: 'router' });
  let loaded = loadSupergraph(await options.supergraph.load(), options.subgraphUrls);
  const http = options.http ?? {};
  const agent = createSubgraphAgent(http);
  let services: SubgraphServices | undefined;
  let engine: SubscriptionEngine | undefined;
  const metrics = new RouterMetrics(() => engine!.stats());
  const plugins: RouterPlugin[] = [
    ...options.plugins,
    ...(options.routes && options.routes.length > 0 ? [{ name: 'routes', routes: options.routes }] : []),
    useHealth(() => services!),
    useMetrics(metrics),
  ];
  const hooks = new HookRunner(plugins);
  hooks.supergraphLoaded(loaded);
  services = new SubgraphServices(agent, hooks, http, loaded, options.policies, metrics);
  services.startHealthChecks();
  const upstreams = new UpstreamClients({
    connectionHeaders: async (subgraph) => {
      const headers: Record<string, string> = {};
      await hooks.subgraphHeaders(undefined, undefined, subgraph, 'connection', headers);
      return headers;
    },
  });
  engine = new SubscriptionEngine(loaded, services, upstreams, hooks, logger);
  const pipeline = new RouterPipeline(hooks, () => loaded, services, engine, options.maxResponseBytes);
  const server = await startRouterServer({
    port: options.port ?? 4000,
    ...(options.host ? { host: options.host } : {}),
    logger,
    pipeline,
    routes: plugins.flatMap((plugin) => plugin.routes ?? []),
    ...(options.connectionInitWaitTimeoutMs ? { connectionInitWaitTimeoutMs: options.connectionInitWaitTimeoutMs } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.websocket ? { websocket: options.websocket } : {}),
    metrics,
  });

  const reload = (sdl: string) => {
    try {
      const next = loadSupergraph(sdl, options.subgraphUrls);
      hooks.supergraphLoaded(next);
      loaded = next;
      services.update(next);
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
    services,
    metrics,
    current: () => loaded,
    reload,
    close: async () => {
      stopWatching();
      services.stopHealthChecks();
      await engine.close();
      await server.close();
      await upstreams.close();
      await agent.close();
      await hooks.close();
    },
  };
}
