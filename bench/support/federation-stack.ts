/**
 * The whole product's subgraph side for gateway benchmarks: history, inventory and tracking on a
 * fresh database, seeded with a world large enough that requests can differ (products with stock
 * in every store, campaigns promoting them with activity and creatives), plus the composed
 * supergraph and one with the router-only directives removed, for gateways that cannot load them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { subgraphRegistry } from '../../subgraphs/registry.js';
import { createPlatform, type Platform } from '../../subgraphs/shared/platform.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { backend, createTestDatabase, type TestDatabase } from '../../test/support/environment.js';
import { composeForTest, silentLogger } from '../../test/support/router-harness.js';
import { benchTrust, routerSignedHeaders } from './bench-keys.js';

export interface WorldSize {
  readonly products: number;
  readonly stores: number;
  readonly campaigns: number;
  readonly influencers: number;
}

export const DEFAULT_WORLD: WorldSize = { products: 100, stores: 4, campaigns: 50, influencers: 10 };

export interface FederationStack {
  readonly database: TestDatabase;
  readonly platform: Platform;
  readonly subgraphs: readonly RunningSubgraph[];
  /** The supergraph as the router serves it. */
  readonly supergraphSdl: string;
  /**
   * The same supergraph without `@authenticated`, `@requiresScopes`, `@policy`, `@cost` and
   * `@listSize`, which @apollo/gateway refuses to load (it cannot enforce them) and Hive Gateway
   * ignores: the peers get the same subgraphs, and less work.
   */
  readonly peerSupergraphSdl: string;
  readonly world: WorldSize;
  url(subgraph: string): string;
  close(): Promise<void>;
}

const sdlOf = (name: string) => readFileSync(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8');

/** A subgraph SDL without the directives only this router enforces. */
function withoutRouterDirectives(sdl: string): string {
  return sdl
    .replace(/^\s+@link\(url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1".*$/m, '')
    .replace(/, "@authenticated", "@requiresScopes", "@policy"/, '')
    .replace(/ @(authenticated|requiresScopes|policy|cost|listSize)(\([^)]*\))?/g, '');
}

/** Starts every subgraph on one platform and seeds the world through them (signed as the router). */
export async function startFederationStack(world: WorldSize = DEFAULT_WORLD): Promise<FederationStack> {
  const database = await createTestDatabase();
  const platform = await createPlatform({
    databaseUrl: database.url,
    redisUrl: backend.redisUrl,
    busPrefix: `tributary-bench-${randomUUID()}`,
    pollIntervalMs: 50,
    logger: silentLogger,
    ...(database.url ? {} : { database: database.database }),
  });
  const subgraphs: RunningSubgraph[] = [];
  for (const entry of subgraphRegistry) subgraphs.push(await startSubgraphServer(entry.create(platform), { port: 0, logger: silentLogger, trust: benchTrust }));
  const url = (name: string) => subgraphs.find((subgraph) => subgraph.name === name)!.url;
  const compose = (transform: (sdl: string) => string) =>
    composeForTest(subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(transform(sdlOf(subgraph.name))) })));
  const stack: FederationStack = {
    database,
    platform,
    subgraphs,
    supergraphSdl: compose((sdl) => sdl),
    peerSupergraphSdl: compose(withoutRouterDirectives),
    world,
    url,
    close: async () => {
      for (const subgraph of subgraphs) await subgraph.close();
      await platform.close();
      await database.drop();
    },
  };
  await seedWorld(stack);
  return stack;
}

async function signedPost(url: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await routerSignedHeaders()) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`seeding failed: ${JSON.stringify(body.errors)}`);
}

/** Runs `work` for 0..count-1, `concurrency` at a time. */
async function each(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export const productId = (index: number) => `bench-product-${index}`;
export const storeId = (index: number) => `bench-store-${index}`;
export const campaignId = (index: number) => `bench-campaign-${index}`;
const influencerId = (index: number) => `bench-influencer-${index}`;

async function seedWorld(stack: FederationStack): Promise<void> {
  const { world } = stack;
  const inventory = stack.url('inventory');
  const tracking = stack.url('tracking');
  const history = stack.url('history');
  await each(world.stores, 4, (store) =>
    signedPost(inventory, 'mutation($id: ID!, $name: String!) { registerStore(input: { id: $id, name: $name, location: "Bench" }) { store { id } } }', {
      id: storeId(store),
      name: `Store ${store}`,
    }),
  );
  await each(world.products, 8, async (product) => {
    await signedPost(
      inventory,
      'mutation($id: ID!, $sku: String!, $name: String!) { registerProduct(input: { id: $id, sku: $sku, name: $name }) { product { id } } }',
      {
        id: productId(product),
        sku: `BENCH-${product}`,
        name: `Product ${product}`,
      },
    );
    for (let store = 0; store < world.stores; store += 1) {
      await signedPost(
        inventory,
        'mutation($p: ID!, $s: ID!, $q: Int!) { addStock(input: { productId: $p, storeId: $s, quantity: $q }) { stockLevel { total } } }',
        {
          p: productId(product),
          s: storeId(store),
          q: 10 + ((product * 7 + store * 3) % 40),
        },
      );
    }
    await signedPost(history, 'mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } } }', {
      input: {
        id: `bench-description-${product}`,
        model: 'gpt-4o',
        content: `A sturdy product number ${product}, made to last and easy to care for.`,
        subject: { type: 'PRODUCT', id: productId(product) },
      },
    });
  });
  await each(world.influencers, 4, (influencer) =>
    signedPost(tracking, 'mutation($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { influencer { id } } }', {
      input: { id: influencerId(influencer), handle: `bench_${influencer}`, platform: 'INSTAGRAM' },
    }),
  );
  const startsAt = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const endsAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  await each(world.campaigns, 4, async (campaign) => {
    await signedPost(tracking, 'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }', {
      input: {
        id: campaignId(campaign),
        name: `Campaign ${campaign}`,
        productId: productId(campaign % world.products),
        startsAt,
        endsAt,
        budget: { amount: '1000.00', currency: 'EUR' },
      },
    });
    const impressions = Array.from({ length: 20 }, (_, index) => ({
      id: `bench-imp-${campaign}-${index}`,
      influencerId: influencerId((campaign + index) % world.influencers),
    }));
    await signedPost(tracking, 'mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted } }', {
      input: { campaignId: campaignId(campaign), impressions },
    });
    for (let index = 0; index < 3; index += 1) {
      await signedPost(tracking, 'mutation($input: RegisterConversionInput!) { registerConversion(input: $input) { conversion { id } } }', {
        input: {
          campaignId: campaignId(campaign),
          id: `bench-conv-${campaign}-${index}`,
          influencerId: influencerId((campaign + index) % world.influencers),
          value: { amount: '19.90', currency: 'EUR' },
          impressionId: `bench-imp-${campaign}-${index}`,
        },
      });
    }
    for (let creative = 0; creative < 2; creative += 1) {
      const id = `bench-creative-${campaign}-${creative}`;
      await signedPost(history, 'mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } } }', {
        input: {
          id,
          model: creative === 0 ? 'gpt-4o' : 'llama-3.1-70b',
          content: `Campaign ${campaign}, take ${creative}: bright, short and to the point for the whole family.`,
          subject: { type: 'CAMPAIGN', id: campaignId(campaign) },
        },
      });
      await signedPost(history, 'mutation($input: AssessQualityInput!) { assessQuality(input: $input) { assessment { score } } }', { input: { entryId: id } });
    }
  });
}
