import type { Logger } from 'pino';
import type { RouterKey } from '../common/trust/router-key.js';
import { RouterTokenVerifier } from '../common/trust/router-token.js';
import { createPlatform, type Platform, type PlatformConfig } from './shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from './shared/server/subgraph-server.js';
import { subgraphRegistry } from './registry.js';

export interface StartSubgraphsOptions extends Omit<PlatformConfig, 'logger'> {
  readonly logger: Logger;
  /** Subgraph names to run; all when omitted. */
  readonly only?: readonly string[];
  /** Port per subgraph name (0 = any free port); defaults from the registry. */
  readonly ports?: Readonly<Record<string, number>>;
  readonly host?: string;
  /** The key the router signs its calls with: anything not signed with it is refused. */
  readonly routerKey: RouterKey;
}

export interface RunningSubgraphs {
  readonly platform: Platform;
  readonly subgraphs: readonly RunningSubgraph[];
  close(): Promise<void>;
}

/** Opens the shared platform once and serves the chosen subgraphs on it. */
export async function startSubgraphs(options: StartSubgraphsOptions): Promise<RunningSubgraphs> {
  const unknown = (options.only ?? []).filter((name) => !subgraphRegistry.some((entry) => entry.name === name));
  if (unknown.length > 0) throw new Error(`unknown subgraph(s): ${unknown.join(', ')}`);
  const entries = subgraphRegistry.filter((entry) => !options.only || options.only.includes(entry.name));
  const platform = await createPlatform(options);
  const trust = new RouterTokenVerifier(options.routerKey);
  const subgraphs: RunningSubgraph[] = [];
  try {
    for (const entry of entries) {
      subgraphs.push(
        await startSubgraphServer(entry.create(platform), {
          port: options.ports?.[entry.name] ?? entry.port,
          ...(options.host ? { host: options.host } : {}),
          logger: options.logger,
          trust,
          metrics: platform.metrics.registry,
        }),
      );
    }
  } catch (error) {
    await Promise.all(subgraphs.map((subgraph) => subgraph.close()));
    await platform.close();
    throw error;
  }
  return {
    platform,
    subgraphs,
    close: async () => {
      await Promise.all(subgraphs.map((subgraph) => subgraph.close()));
      await platform.close();
    },
  };
}
