/**
 * The subgraph side of the router benchmarks: a fresh database, the platform, the inventory
 * subgraph and the test-only forecast subgraph (the same pieces as test/support/router-harness.ts,
 * without the router, so a benchmark can run the router or a plain gateway elsewhere), plus seeding.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { inventorySubgraph } from '../../subgraphs/inventory/subgraph.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from '../../test/support/environment.js';
import { forecastTypeDefs, startForecastSubgraph, type ForecastSubgraph } from '../../test/support/forecast-subgraph.js';
import { composeForTest, silentLogger } from '../../test/support/router-harness.js';
import { benchToken, benchTrust, routerSignedHeaders } from './bench-keys.js';

const inventorySdl = parse(readFileSync(new URL('../../subgraphs/inventory/schema.graphql', import.meta.url), 'utf8'));

/** Which storage and bus a run used, stored with each result. */
export function backendLabel(): { database: 'postgres' | 'pglite'; bus: 'redis' | 'memory' } {
  return { database: backend.databaseUrl ? 'postgres' : 'pglite', bus: backend.redisUrl ? 'redis' : 'memory' };
}

export interface SubgraphStack {
  readonly database: TestDatabase;
  readonly platform: Platform;
  readonly inventory: RunningSubgraph;
  readonly forecast: ForecastSubgraph;
  readonly supergraphSdl: string;
  /** Live subscriptions opened on the inventory side so far. */
  liveOpened(): number;
  close(): Promise<void>;
}

export async function startSubgraphStack(): Promise<SubgraphStack> {
  const database = await createTestDatabase();
  const platform = await createPlatform({
    databaseUrl: database.url,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-bench-${randomUUID()}`,
    pollIntervalMs: 50,
    logger: silentLogger,
    ...(database.url ? {} : { database: database.database }),
  });
  let liveOpened = 0;
  const live = platform.live.bind(platform);
  (platform as { live: Platform['live'] }).live = async (options) => {
    const iterator = await live(options);
    liveOpened += 1;
    return iterator;
  };
  const inventory = await startSubgraphServer(inventorySubgraph(platform), { port: 0, logger: silentLogger, trust: benchTrust });
  const forecast = await startForecastSubgraph();
  const supergraphSdl = composeForTest([
    { name: 'inventory', url: inventory.url, typeDefs: inventorySdl },
    { name: 'forecast', url: forecast.url, typeDefs: forecastTypeDefs },
  ]);
  return {
    database,
    platform,
    inventory,
    forecast,
    supergraphSdl,
    liveOpened: () => liveOpened,
    close: async () => {
      await forecast.close();
      await inventory.close();
      await platform.close();
      await database.drop();
    },
  };
}

/** POSTs one operation to the router (with a client token) and fails on GraphQL errors. */
export async function post<Data = unknown>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  return postWith(url, query, variables, { authorization: `Bearer ${await benchToken()}` });
}

/** POSTs one operation straight to a subgraph (signed as the router) and fails on GraphQL errors. */
export async function postToSubgraph<Data = unknown>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  return postWith(url, query, variables, await routerSignedHeaders());
}

async function postWith<Data>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** `products` × `stores` stock levels, each with some stock, registered through the subgraph. */
export async function seedInventory(url: string, products: number, stores: number): Promise<void> {
  for (let store = 0; store < stores; store += 1) {
    await postToSubgraph(url, `mutation($id: ID!, $name: String!) { registerStore(input: { id: $id, name: $name, location: "Bench" }) { store { id } } }`, {
      id: `store-${store}`,
      name: `Store ${store}`,
    });
  }
  for (let product = 0; product < products; product += 1) {
    await postToSubgraph(
      url,
      `mutation($id: ID!, $sku: String!, $name: String!) { registerProduct(input: { id: $id, sku: $sku, name: $name }) { product { id } } }`,
      {
        id: `product-${product}`,
        sku: `SKU-${product}`,
        name: `Product ${product}`,
      },
    );
    await Promise.all(
      Array.from({ length: stores }, (_, store) =>
        postToSubgraph(url, `mutation($p: ID!, $s: ID!, $q: Int!) { addStock(input: { productId: $p, storeId: $s, quantity: $q }) { stockLevel { total } } }`, {
          p: `product-${product}`,
          s: `store-${store}`,
          q: 10 + ((product * 7 + store * 3) % 40),
        }),
      ),
    );
  }
}

/** Waits until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function percentiles(values: readonly number[]): { p50: number; p90: number; p99: number; max: number; mean: number; count: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
  let sum = 0;
  for (const value of sorted) sum += value;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: sorted.length ? sum / sorted.length : Number.NaN, count: sorted.length };
}

export const hasFlag = (name: string): boolean => process.argv.includes(`--${name}`);

/** `--name=value` or `--name value` from argv, else the BENCH_<NAME> environment variable. */
export function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  const inline = process.argv.find((arg) => arg.startsWith(prefix));
  if (inline) return inline.slice(prefix.length);
  const index = process.argv.indexOf(`--${name}`);
  const next = index >= 0 ? process.argv[index + 1] : undefined;
  if (next && !next.startsWith('--')) return next;
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
}

export function numberOption(name: string, fallback: number): number {
  const value = option(name);
  return value === undefined ? fallback : Number(value);
}
