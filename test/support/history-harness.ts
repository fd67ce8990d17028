import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { historySubgraph, type HistoryOptions } from '../../subgraphs/history/subgraph.js';
import type { AnalysisRunner } from '../../subgraphs/history/jobs/analysis-runner.js';
import type { HistoryCommands } from '../../subgraphs/history/commands/history-commands.js';
import { historyCommands } from '../../subgraphs/history/commands/history-commands.js';
import { createHistoryPlugins } from '../../subgraphs/history/config.js';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { postAsRouter, postRaw, subgraphTrust, type RouterCall } from './security.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';

/** A GraphQL response as the HTTP endpoint returns it. */
export interface GraphQLResponse<Data = Record<string, any>> {
  readonly status: number;
  readonly data?: Data | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/**
 * Where a harness keeps its data, so that a second harness can open the same database after the
 * first one was closed (a restart): a fresh PostgreSQL database when DATABASE_URL is set, else a
 * PGlite folder in the temp directory.
 */
export interface HistoryStorage {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string | undefined;
  dispose(): Promise<void>;
}

/** Creates durable storage for restart tests. */
export async function createHistoryStorage(): Promise<HistoryStorage> {
  if (backend.databaseUrl) {
    const testDatabase: TestDatabase = await createTestDatabase({ maxConnections: 1 });
    return { databaseUrl: testDatabase.url, dataDir: undefined, dispose: () => testDatabase.drop() };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-history-'));
  return { databaseUrl: undefined, dataDir, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

export interface HistoryHarness {
  /** HTTP endpoint, e.g. http://127.0.0.1:PORT/graphql. */
  readonly url: string;
  /** graphql-ws endpoint on the same path. */
  readonly wsUrl: string;
  readonly platform: Platform;
  /** The subgraph's analysis runner. */
  readonly runner: AnalysisRunner;
  /** Commands bound to the same platform (to seed data without HTTP). */
  readonly commands: HistoryCommands;
  /** Bus subscriptions currently open. */
  busSubscriptions(): number;
  /** POSTs one GraphQL operation. */
  request<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, call?: RouterCall): Promise<GraphQLResponse<Data>>;
  /** POSTs with exactly these headers: no router signature unless given. */
  rawRequest(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  /** Stops the server (and its runner) and the platform; disposes the storage unless it was given. */
  close(): Promise<void>;
}

export interface HistoryHarnessOptions {
  /** Durable storage shared with other harnesses; a throwaway database when omitted. */
  readonly storage?: HistoryStorage;
  readonly history?: HistoryOptions;
  readonly pollIntervalMs?: number;
}

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
 * Starts a platform (PostgreSQL when DATABASE_URL is set, else PGlite; Redis when REDIS_URL is set)
 * and serves the history subgraph on a free port.
 */
export async function startHistoryHarness(options: HistoryHarnessOptions = {}): Promise<HistoryHarness> {
  const owned: TestDatabase | undefined = !options.storage && backend.databaseUrl ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const platform = await createPlatform({
    databaseUrl: options.storage ? options.storage.databaseUrl : owned?.url,
    dataDir: options.storage?.dataDir,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-test-${randomUUID()}`,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    logger,
  });
  const busSubscriptions = countSubscriptions(platform.bus);
  const definition = historySubgraph(platform, {
    ...options.history,
    jobs: { pollIntervalMs: 100, ...options.history?.jobs },
  });
  const server = await startSubgraphServer(definition, { port: 0, logger, trust: subgraphTrust });
  const url = server.url;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    platform,
    runner: definition.runner,
    commands: historyCommands(platform, createHistoryPlugins(options.history?.analyzers)),
    busSubscriptions,
    request: (query, variables = {}, call = {}) => postAsRouter(url, query, variables, call) as Promise<GraphQLResponse<any>>,
    rawRequest: (query, variables = {}, headers = {}) => postRaw(url, query, variables, headers) as Promise<GraphQLResponse>,
    async close() {
      await server.close();
      await platform.close();
      await owned?.drop();
    },
  };
}
