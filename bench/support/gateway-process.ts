/**
 * A child process running one gateway in front of subgraphs that live in the parent: our router
 * (`startRouter`) or a plain `@apollo/gateway` + `@apollo/server` standalone server with default
 * data sources. The parent drives it over IPC (see child-rpc.ts):
 *
 *   start { kind: 'router' | 'plain', supergraphSdl, deduplicateQueries? } → { url, wsUrl }
 *         (deduplicateQueries: false turns the router's sharing of identical in-flight queries off)
 *   memory                                            → process.memoryUsage() after GC (needs --expose-gc)
 *   stats                                             → the router's SubscriptionEngine.stats()
 *   cpu                                               → process.cpuUsage()
 *   heapSnapshot { path }                             → writes a .heapsnapshot after GC
 */
import '../../bin/production-mode.js';
import { writeHeapSnapshot } from 'node:v8';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { pino } from 'pino';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { serveParent, wallNow } from './child-rpc.js';

let router: RunningRouter | undefined;
let plain: { server: ApolloServer; url: string } | undefined;

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Several passes with turns of the event loop in between, so finalizers and weak refs settle.
  for (let pass = 0; pass < 4; pass += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

serveParent(
  {
    now: () => wallNow(),
    async start(params: { kind: 'router' | 'plain'; supergraphSdl: string; deduplicateQueries?: boolean }) {
      if (params.kind === 'router') {
        router = await startRouter({
          supergraph: staticSupergraph(params.supergraphSdl),
          port: 0,
          logger: pino({ level: 'silent' }),
          http: { deduplicateQueries: params.deduplicateQueries ?? true },
        });
        return { url: router.url, wsUrl: router.wsUrl };
      }
      const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: params.supergraphSdl }) });
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      plain = { server, url };
      return { url, wsUrl: undefined };
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
  },
);
