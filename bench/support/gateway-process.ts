/**
 * A child process running one gateway in front of subgraphs that live in the parent: our router
 * (`startRouter`), a plain `@apollo/gateway` + `@apollo/server` standalone server with default
 * data sources, or Hive Gateway (`createGatewayRuntime` on node:http). The parent drives it over
 * IPC (see child-rpc.ts):
 *
 *   start { kind, supergraphSdl, keys, plugins?, deduplicateQueries?, subgraphHeaders? } → { url, wsUrl }
 *         kind 'router': plugins 'signing' (only what subgraphs require), 'auth' (authentication
 *         and authorization too) or 'all' (every built-in plugin, as `npm start` runs; the rate
 *         limits high enough never to refuse); deduplicateQueries: false turns the router's
 *         sharing of identical in-flight queries off.
 *         kind 'plain' | 'hive': subgraphHeaders are sent with every subgraph call (the router
 *         signature the subgraphs require, as one fixed token).
 *   memory                                            → process.memoryUsage() after GC (needs --expose-gc)
 *   stats                                             → the router's SubscriptionEngine.stats()
 *   cpu                                               → process.cpuUsage()
 *   heapSnapshot { path }                             → writes a .heapsnapshot after GC
 */
import '../../bin/production-mode.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeHeapSnapshot } from 'node:v8';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { pino } from 'pino';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { benchRouterPlugins, type BenchKeys, type BenchPlugins } from './bench-keys.js';
import { serveParent, wallNow } from './child-rpc.js';

let router: RunningRouter | undefined;
let plain: { server: ApolloServer; url: string } | undefined;
let hive: { server: Server; dispose: () => Promise<void> } | undefined;

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Several passes with turns of the event loop in between, so finalizers and weak refs settle.
  for (let pass = 0; pass < 4; pass += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface StartParams {
  readonly kind: 'router' | 'plain' | 'hive';
  readonly supergraphSdl: string;
  readonly keys: BenchKeys;
  readonly plugins?: BenchPlugins;
  readonly deduplicateQueries?: boolean;
  readonly subgraphHeaders?: Record<string, string>;
}

serveParent(
  {
    now: () => wallNow(),
    async start(params: StartParams) {
      if (params.kind === 'router') {
        router = await startRouter({
          supergraph: staticSupergraph(params.supergraphSdl),
          plugins: await benchRouterPlugins(params.keys, params.plugins ?? 'all'),
          port: 0,
          logger: pino({ level: 'silent' }),
          http: { deduplicateQueries: params.deduplicateQueries ?? true },
        });
        return { url: router.url, wsUrl: router.wsUrl };
      }
      const headers = params.subgraphHeaders ?? {};
      if (params.kind === 'plain') {
        const gateway = new ApolloGateway({
          supergraphSdl: params.supergraphSdl,
          buildService: ({ url }) =>
            new RemoteGraphQLDataSource({
              ...(url ? { url } : {}),
              willSendRequest({ request }) {
                for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
              },
            }),
        });
        const server = new ApolloServer({ gateway });
        const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
        plain = { server, url };
        return { url, wsUrl: undefined };
      }
      const gateway = createGatewayRuntime({
        supergraph: params.supergraphSdl,
        logging: false,
        propagateHeaders: { fromClientToSubgraphs: () => headers },
      });
      const server = createServer((request, response) => void gateway(request, response));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      hive = { server, dispose: async () => void (await gateway.dispose()) };
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, wsUrl: undefined };
    },
    async memory() {
      await collectGarbage();
      return process.memoryUsage();
    },
    /** Writes a heap snapshot (after GC) to `path`, for bench/support/heap-diff.ts. */
    async heapSnapshot(params: { path: string }) {
      await collectGarbage();
      return writeHeapSnapshot(params.path);
    },
    stats: () => router?.engine.stats() ?? null,
    /** CPU time this process has used so far (µs), to compare gateways per request. */
    cpu: () => process.cpuUsage(),
  },
  async () => {
    await router?.close();
    await plain?.server.stop();
    if (hive) {
      await hive.dispose();
      hive.server.closeAllConnections();
      await new Promise<void>((resolve) => hive!.server.close(() => resolve()));
    }
  },
);
