import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { postAsRouter, postRaw, subgraphTrust, type RouterCall } from './security.js';
import { trackingSubgraph, type TrackingOptions } from '../../subgraphs/tracking/subgraph.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';

/** A GraphQL response as the HTTP endpoint returns it. */
export interface GraphQLResponse<Data = Record<string, any>> {
  readonly status: number;
  readonly data?: Data | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface TrackingHarness {
  /** HTTP endpoint, e.g. http://127.0.0.1:PORT/graphql. */
  readonly url: string;
  /** graphql-ws endpoint on the same path. */
  readonly wsUrl: string;
  readonly platform: Platform;
  /** Bus subscriptions currently open (each subscription resolver opens one). */
  busSubscriptions(): number;
  /** POSTs one GraphQL operation. */
  request<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, call?: RouterCall): Promise<GraphQLResponse<Data>>;
  /** POSTs with exactly these headers: no router signature unless given. */
  rawRequest(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface TrackingHarnessOptions extends TrackingOptions {
  readonly pollIntervalMs?: number;
  /** Pool size of the platform on PostgreSQL (concurrency tests want several connections). */
  readonly maxConnections?: number;
}

/** Counts open subscriptions of a bus by wrapping its `subscribe`. */
function countSubscriptions(bus: EventBus): () => number {
  let open = 0;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = async (category, handler) => {
    const unsubscribe = await subscribe(category, handler);
    open += 1;
    let done = false;
    return async () => {
      if (!done) {
        done = true;
        open -= 1;
      }
      await unsubscribe();
    };
  };
  return () => open;
}

/**
 * Starts a platform on a fresh database (a new PostgreSQL database when DATABASE_URL is set, else an
 * in-memory PGlite) with the bus of the environment, and serves the tracking subgraph on a free port.
 */
export async function startTrackingHarness(options: TrackingHarnessOptions = {}): Promise<TrackingHarness> {
  const testDatabase: TestDatabase | undefined = backend.databaseUrl ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const platform = await createPlatform({
    databaseUrl: testDatabase?.url,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-test-${randomUUID()}`,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    logger,
  });
  const busSubscriptions = countSubscriptions(platform.bus);
  const server = await startSubgraphServer(
    trackingSubgraph(platform, options.statsIntervalMs === undefined ? {} : { statsIntervalMs: options.statsIntervalMs }),
    { port: 0, logger, trust: subgraphTrust },
  );
  const url = server.url;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    platform,
    busSubscriptions,
    request: (query, variables = {}, call = {}) => postAsRouter(url, query, variables, call) as Promise<GraphQLResponse<any>>,
    rawRequest: (query, variables = {}, headers = {}) => postRaw(url, query, variables, headers) as Promise<GraphQLResponse>,
    async close() {
      await server.close();
      await platform.close();
      await testDatabase?.drop();
    },
  };
}
