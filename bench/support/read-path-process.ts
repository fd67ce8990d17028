/**
 * A child process of bench/subgraph-read-path.ts: serves either the inventory subgraph alone (its
 * own platform on the benchmark's database, verifying the router signature as deployed) or the
 * hand-written products endpoint (products-endpoint.ts), so each has its own event loop and its CPU
 * time per request can be read. The parent drives it over IPC (see child-rpc.ts):
 *
 *   start { kind: 'subgraph' | 'endpoint', databaseUrl, routerKey, redisUrl? } → { url }
 *   cpu                                                     → process.cpuUsage() (µs)
 *   profileStart                                            → starts the V8 CPU profiler
 *   profileStop { path }                                    → writes the .cpuprofile since profileStart to path
 *
 * The profiler runs through the inspector rather than `--cpu-prof`, so a profile holds only the
 * load the parent sends while it runs: no start-up, no equality check, no idle time between rounds.
 */
import '../../bin/production-mode.js';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { pino } from 'pino';
import { parseRouterKey } from '../../common/trust/router-key.js';
import { RouterTokenVerifier } from '../../common/trust/router-token.js';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { serveParent } from './child-rpc.js';
import { startProductsEndpoint, type ProductsEndpoint } from './products-endpoint.js';

/** What the parent asks this child to serve. */
export interface ReadPathStart {
  readonly kind: 'subgraph' | 'endpoint';
  readonly databaseUrl: string;
  /** The router key the parent signs with (formatRouterKey), for the subgraph's verifier. */
  readonly routerKey: string;
  readonly redisUrl?: string | undefined;
}

const logger = pino({ level: 'silent' });
let subgraph: { platform: Platform; server: RunningSubgraph } | undefined;
let endpoint: ProductsEndpoint | undefined;
let profiler: Session | undefined;

serveParent(
  {
    async start(params: ReadPathStart) {
      if (params.kind === 'endpoint') {
        endpoint = await startProductsEndpoint(params.databaseUrl);
        return { url: endpoint.url };
      }
      // As start-subgraphs.ts serves it, with only inventory on the platform.
      const platform = await createPlatform({
        databaseUrl: params.databaseUrl,
        redisUrl: params.redisUrl,
        busPrefix: `tributary-bench-${randomUUID()}`,
        logger,
      });
      const server = await startSubgraphServer(inventorySubgraph(platform), {
        port: 0,
        host: '127.0.0.1',
        logger,
        trust: new RouterTokenVerifier(parseRouterKey(params.routerKey)),
        metrics: platform.metrics.registry,
      });
      subgraph = { platform, server };
      return { url: server.url };
    },
    /** CPU time this process has used so far (µs). */
    cpu: () => process.cpuUsage(),
    async profileStart() {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      // --cpu-prof's default sampling interval, so profiles compare with the other benchmarks'.
      await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
      await profiler.post('Profiler.start');
    },
    async profileStop(params: { path: string }) {
      if (!profiler) throw new Error('profileStop without profileStart');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      await mkdir(path.dirname(params.path), { recursive: true });
      await writeFile(params.path, JSON.stringify(profile));
      return params.path;
    },
  },
  async () => {
    await endpoint?.close();
    if (subgraph) {
      await subgraph.server.close();
      await subgraph.platform.close();
    }
  },
);
