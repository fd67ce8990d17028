import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { inventorySubgraph, type InventoryOptions } from '../../subgraphs/inventory/subgraph.js';
import type { EventBus } from '../../subgraphs/shared/bus/contract.js';
import { createKysely } from '../../subgraphs/shared/database/kysely/database.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { postAsRouter, postRaw, subgraphTrust, type RouterCall } from './security.js';
import { backend, createTestDatabase, type TestDatabase } from './environment.js';

/** One SQL statement the read models sent to the database while serving requests. */
export interface RecordedStatement {
  readonly sql: string;
  readonly params: string;
}

/** The SQL statements issued by the subgraph's typed queries (read models, DataLoaders). */
export interface StatementLog {
  readonly statements: readonly RecordedStatement[];
  /** Statements whose FROM clause names this table (`"<table>"`). */
  on(table: string): RecordedStatement[];
  reset(): void;
}

/** A GraphQL response as the HTTP endpoint returns it. */
export interface GraphQLResponse<Data = Record<string, any>> {
  readonly status: number;
  readonly data?: Data | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface InventoryHarness {
  /** HTTP endpoint, e.g. http://127.0.0.1:PORT/graphql. */
  readonly url: string;
  /** graphql-ws endpoint on the same path. */
  readonly wsUrl: string;
  readonly platform: Platform;
  /** SQL statements issued through the typed queries since the last reset. */
  readonly statements: StatementLog;
  /** Bus subscriptions currently open (the subscription resolvers subscribe one per category). */
  busSubscriptions(): number;
  /** Bus subscriptions made since start, closed or not: grows by one per category a resolver follows. */
  busSubscribeCalls(): number;
  /** POSTs one GraphQL operation with fetch. */
  request<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, call?: RouterCall): Promise<GraphQLResponse<Data>>;
  /** POSTs with exactly these headers: no router signature unless given. */
  rawRequest(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface InventoryHarnessOptions extends InventoryOptions {
  /** Overrides the bus: a Redis URL (e.g. a throwaway server), or null for the in-process bus. */
  readonly redisUrl?: string | null;
  readonly pollIntervalMs?: number;
}

/** Counts subscriptions of a bus by wrapping its `subscribe` (the bus object stays the same). */
function countSubscriptions(bus: EventBus): { open: () => number; calls: () => number } {
  let open = 0;
  let calls = 0;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = async (category, handler) => {
    const unsubscribe = await subscribe(category, handler);
    open += 1;
    calls += 1;
    let done = false;
    return async () => {
      if (!done) {
        done = true;
        open -= 1;
      }
      await unsubscribe();
    };
  };
  return { open: () => open, calls: () => calls };
}

/**
 * Starts a platform on a fresh database (a new PostgreSQL database when DATABASE_URL is set, else an
 * in-memory PGlite) with the bus of the environment, and serves the inventory subgraph on a free port.
 * The subgraph's typed queries log every SQL statement they send, for tests that count queries.
 */
export async function startInventoryHarness(options: InventoryHarnessOptions = {}): Promise<InventoryHarness> {
  const testDatabase: TestDatabase | undefined = backend.databaseUrl ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const redisUrl = options.redisUrl === undefined ? backend.redisUrl : (options.redisUrl ?? undefined);
  const platform = await createPlatform({
    databaseUrl: testDatabase?.url,
    redisUrl,
    busPrefix: `tributary-test-${randomUUID()}`,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    logger,
  });
  const subscriptions = countSubscriptions(platform.bus);

  // Same client and connections as the platform's typed queries, with every statement logged.
  const recorded: RecordedStatement[] = [];
  const kysely = createKysely(platform.db.sql, {
    log: (event) => {
      recorded.push({ sql: event.query.sql, params: JSON.stringify(event.query.parameters) });
    },
  });
  const statements: StatementLog = {
    get statements() {
      return recorded;
    },
    on: (table) => recorded.filter((statement) => new RegExp(`FROM\\s+"${table}"`, 'i').test(statement.sql)),
    reset: () => {
      recorded.length = 0;
    },
  };

  const observed: Platform = { ...platform, db: { ...platform.db, kysely } };
  const { expiryIntervalMs } = options;
  const server = await startSubgraphServer(inventorySubgraph(observed, expiryIntervalMs ? { expiryIntervalMs } : {}), {
    port: 0,
    logger,
    trust: subgraphTrust,
  });
  const url = server.url;

  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    platform,
    statements,
    busSubscriptions: subscriptions.open,
    busSubscribeCalls: subscriptions.calls,
    request: (query, variables = {}, call = {}) => postAsRouter(url, query, variables, call) as Promise<GraphQLResponse<any>>,
    rawRequest: (query, variables = {}, headers = {}) => postRaw(url, query, variables, headers) as Promise<GraphQLResponse>,
    async close() {
      await server.close();
      await platform.close();
      await testDatabase?.drop();
    },
  };
}
