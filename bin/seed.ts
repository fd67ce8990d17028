// `npm run seed`: a realistic, deterministic demo through the public GraphQL API: products, stores
// and stock (inventory), influencers and campaigns (tracking), then a stream of impressions and
// conversions. Re-running it changes nothing: every command carries an idempotency key or a
// client id, so a second run replays instead of adding.
//
//   npm run seed                                              # through the router on :4000
//   npm run seed -- --url http://127.0.0.1:4003/graphql       # tracking subgraph only
//   npm run seed -- --tracking-url http://127.0.0.1:4003/graphql --inventory-url http://127.0.0.1:4002/graphql
//   npm run seed -- --impressions 200000 --seed 7
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    'inventory-url': { type: 'string' },
    'tracking-url': { type: 'string' },
    impressions: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '2026' },
    batch: { type: 'string', default: '1000' },
    /** Activity happens in the 14 days before this instant (default 2026-11-01, or today if that is still ahead). */
    anchor: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm run seed -- [--url URL] [--inventory-url URL] [--tracking-url URL] [--impressions N] [--seed N] [--batch N] [--anchor ISO]');
  process.exit(0);
}

const inventoryUrl = values['inventory-url'] ?? values.url!;
const trackingUrl = values['tracking-url'] ?? values.url!;
const TOTAL_IMPRESSIONS = Number(values.impressions);
const BATCH = Math.min(10_000, Number(values.batch));
const SEED = Number(values.seed);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DEFAULT_ANCHOR = Date.parse('2026-11-01T00:00:00Z');
const anchor = values.anchor ? Date.parse(values.anchor) : Math.min(DEFAULT_ANCHOR, Math.floor(Date.now() / DAY_MS) * DAY_MS);
if (!Number.isFinite(TOTAL_IMPRESSIONS) || TOTAL_IMPRESSIONS < 0 || !Number.isFinite(BATCH) || BATCH < 1 || Number.isNaN(anchor)) {
  console.error('invalid --impressions, --batch or --anchor');
  process.exit(2);
}

/** mulberry32: every run with the same --seed produces the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(SEED);
/** Picks by weight (weights need not sum to 1). */
function weighted<T>(items: readonly T[], weights: readonly number[], next: () => number = random): T {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = next() * total;
  for (let index = 0; index < items.length; index += 1) {
    roll -= weights[index]!;
    if (roll <= 0) return items[index]!;
  }
  return items[items.length - 1]!;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

async function gql<Data = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-actor': 'seed' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: GraphQLError[] };
  if (body.errors?.length) {
    const [error] = body.errors;
    throw new Error(`${error!.extensions?.code ?? 'ERROR'}: ${error!.message}`);
  }
  return body.data as Data;
}

async function mutationsOf(url: string): Promise<Set<string>> {
  const data = await gql<{ __schema: { mutationType: { fields: Array<{ name: string }> } | null } }>(url, '{ __schema { mutationType { fields { name } } } }');
  return new Set(data.__schema.mutationType?.fields.map((field) => field.name) ?? []);
}

// ── the demo world ───────────────────────────────────────────────────────────────────────────

const PRODUCTS = [
  ['Trail running shoes', 'Lightweight shoes with a rock plate, 8 mm drop.'],
  ['Insulated bottle 750 ml', 'Keeps drinks cold for 24 hours, hot for 12.'],
  ['Merino base layer', '200 g/m² merino wool, odour resistant.'],
  ['Ultralight tent', 'Two-person tent, 1.1 kg, freestanding.'],
  ['Headlamp 400 lm', 'Rechargeable, red light mode, IPX7.'],
  ['Packable down jacket', '800-fill down, packs into its own pocket.'],
  ['Trekking poles', 'Carbon, foldable, cork grips.'],
  ['Camp stove', 'Canister stove boiling a litre in 3 minutes.'],
] as const;
const STORES = [
  ['Lyon Part-Dieu', 'Lyon, FR'],
  ['Berlin Mitte', 'Berlin, DE'],
  ['Online', 'Web shop'],
] as const;
const HANDLES = [
  'alpine.anna', 'trail_tom', 'summitsara', 'gearguru', 'nomad.nina', 'peakpaul', 'wildwes', 'campfire.cleo',
  'ridge_ravi', 'boulder.ben', 'forest.fay', 'glacier_gus',
] as const;
const PLATFORMS = ['INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'TWITCH', 'X', 'INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'OTHER', 'INSTAGRAM', 'TIKTOK', 'YOUTUBE'] as const;
const CAMPAIGNS = [
  { name: 'Autumn trail series', product: 0, budget: '25000.00', currency: 'EUR', weight: 5 },
  { name: 'Hydration heroes', product: 1, budget: '8000.00', currency: 'EUR', weight: 3 },
  { name: 'Layer up for winter', product: 2, budget: '12000.00', currency: 'EUR', weight: 4 },
  { name: 'Night hikes', product: 4, budget: '6000.00', currency: 'USD', weight: 2 },
  { name: 'Pack light, go far', product: 3, budget: '15000.00', currency: 'USD', weight: 3 },
  { name: 'Warm camp kitchen', product: 7, budget: '4000.00', currency: 'EUR', weight: 1 },
] as const;

const productId = (index: number) => `seed-product-${index + 1}`;
const storeId = (index: number) => `seed-store-${index + 1}`;
const influencerId = (index: number) => `seed-influencer-${index + 1}`;
const campaignId = (index: number) => `seed-campaign-${index + 1}`;

/**
 * The random sequence of one item (an impression and its possible conversion), from the seed and
 * the item's place alone: every run, whatever --impressions says, gives an id the same data.
 */
function itemRandom(...parts: number[]): () => number {
  let hash = SEED >>> 0;
  for (const part of parts) hash = Math.imul(hash ^ part, 0x9e3779b1) >>> 0;
  return prng(hash);
}

/** An instant of the 14 days before the anchor, evenings busier than nights. */
function occurredAt(next: () => number): number {
  const day = Math.floor(next() * 14);
  const hourWeights = Array.from({ length: 24 }, (_, hour) => (hour >= 17 && hour <= 22 ? 6 : hour >= 8 ? 3 : 1));
  let roll = next() * hourWeights.reduce((sum, weight) => sum + weight, 0);
  let hour = 0;
  while (hour < 23 && (roll -= hourWeights[hour]!) > 0) hour += 1;
  return anchor - (day + 1) * DAY_MS + hour * HOUR_MS + Math.floor(next() * HOUR_MS);
}

async function seedInventory(): Promise<void> {
  // Its own sequence: the tracking data is the same whether or not the inventory part runs.
  const stockRandom = prng(SEED ^ 0x5eed);
  for (const [index, [name, description]] of PRODUCTS.entries()) {
    await gql(inventoryUrl, `mutation($input: RegisterProductInput!) { registerProduct(input: $input) { replayed } }`, {
      input: { id: productId(index), sku: `SEED-${String(index + 1).padStart(3, '0')}`, name, description, idempotencyKey: `seed:product:${index + 1}` },
    });
  }
  for (const [index, [name, location]] of STORES.entries()) {
    await gql(inventoryUrl, `mutation($input: RegisterStoreInput!) { registerStore(input: $input) { replayed } }`, {
      input: { id: storeId(index), name, location, idempotencyKey: `seed:store:${index + 1}` },
    });
  }
  for (let product = 0; product < PRODUCTS.length; product += 1) {
    for (let store = 0; store < STORES.length; store += 1) {
      await gql(inventoryUrl, `mutation($input: AddStockInput!) { addStock(input: $input) { replayed } }`, {
        input: { productId: productId(product), storeId: storeId(store), quantity: 20 + Math.floor(stockRandom() * 180), idempotencyKey: `seed:stock:${product + 1}:${store + 1}` },
      });
    }
  }
  console.log(`inventory: ${PRODUCTS.length} products, ${STORES.length} stores, stock in every store`);
}

async function seedTracking(): Promise<void> {
  for (const [index, handle] of HANDLES.entries()) {
    await gql(trackingUrl, `mutation($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { replayed } }`, {
      input: { id: influencerId(index), handle, platform: PLATFORMS[index], idempotencyKey: `seed:influencer:${index + 1}` },
    });
  }
  for (const [index, spec] of CAMPAIGNS.entries()) {
    await gql(trackingUrl, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { replayed } }`, {
      input: {
        id: campaignId(index),
        name: spec.name,
        budget: { amount: spec.budget, currency: spec.currency },
        startsAt: new Date(anchor - 30 * DAY_MS).toISOString(),
        endsAt: new Date(anchor + 30 * DAY_MS).toISOString(),
        productId: productId(spec.product),
        idempotencyKey: `seed:campaign:${index + 1}`,
      },
    });
  }
  console.log(`tracking: ${HANDLES.length} influencers, ${CAMPAIGNS.length} campaigns`);

  // Influencer reach follows a power law; each campaign works with a few of them.
  const reach = HANDLES.map((_, index) => 1 / (index + 1) ** 0.9);
  const plan = CAMPAIGNS.map((spec, index) => {
    const teamRandom = itemRandom(index + 1);
    return {
      campaign: index,
      impressions: Math.round((TOTAL_IMPRESSIONS * spec.weight) / CAMPAIGNS.reduce((sum, item) => sum + item.weight, 0)),
      influencers: HANDLES.map((_, influencer) => influencer).filter(() => teamRandom() < 0.6),
    };
  });
  const conversionShare = 0.025;
  const expectedConversions = Math.round(TOTAL_IMPRESSIONS * conversionShare);
  const bar = new cliProgress.SingleBar(
    { format: 'activity |{bar}| {percentage}% | {value}/{total} events | {rate}/s | {campaign}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(TOTAL_IMPRESSIONS + expectedConversions, 0, { rate: 0, campaign: '' });
  const started = performance.now();
  const totals = { impressions: 0, conversions: 0, duplicates: 0, sent: 0 };
  const skipped: string[] = [];
  const tick = (count: number, campaign: string) => {
    totals.sent += count;
    bar.update(Math.min(totals.sent, TOTAL_IMPRESSIONS + expectedConversions), {
      rate: Math.round(totals.sent / ((performance.now() - started) / 1000)),
      campaign,
    });
  };

  for (const { campaign, impressions, influencers } of plan) {
    const id = campaignId(campaign);
    // A campaign an earlier run paused or ended accepts no new activity: what it has stays.
    const { campaign: current } = await gql(trackingUrl, `query($id: ID!) { campaign(id: $id) { status } }`, { id });
    if (current?.status !== 'ACTIVE') {
      skipped.push(`${CAMPAIGNS[campaign]!.name} (${current?.status})`);
      tick(impressions + Math.round(impressions * conversionShare), CAMPAIGNS[campaign]!.name);
      continue;
    }
    const team = influencers.length > 0 ? influencers : [0];
    const teamReach = team.map((influencer) => reach[influencer]!);
    for (let offset = 0; offset < impressions; offset += BATCH) {
      const items = Array.from({ length: Math.min(BATCH, impressions - offset) }, (_, index) => {
        const number = offset + index + 1;
        const next = itemRandom(campaign + 1, number);
        const impression = {
          id: `seed-imp-${campaign + 1}-${number}`,
          influencerId: influencerId(weighted(team, teamReach, next)),
          occurredAt: new Date(occurredAt(next)).toISOString(),
        };
        // Some impressions convert a few minutes later, in one of the stores.
        const conversion =
          next() < conversionShare
            ? {
                campaignId: id,
                id: `seed-conv-${campaign + 1}-${number}`,
                influencerId: impression.influencerId,
                impressionId: impression.id,
                value: { amount: (5 + Math.floor(next() * 19_500) / 100).toFixed(2), currency: CAMPAIGNS[campaign]!.currency },
                storeId: storeId(Math.floor(next() * STORES.length)),
                quantity: 1 + Math.floor(next() * 3),
                occurredAt: new Date(Math.min(Date.parse(impression.occurredAt) + Math.floor(next() * 30) * 60_000, Date.now())).toISOString(),
              }
            : undefined;
        return { impression, conversion };
      });
      const batch = items.map((item) => item.impression);
      const data = await gql(trackingUrl, `mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted duplicates } }`, {
        input: { campaignId: id, impressions: batch },
      });
      totals.impressions += data.registerImpressions.accepted;
      totals.duplicates += data.registerImpressions.duplicates;
      tick(batch.length, CAMPAIGNS[campaign]!.name);

      const conversions = items.flatMap((item) => (item.conversion ? [item.conversion] : []));
      for (let index = 0; index < conversions.length; index += 8) {
        const results = await Promise.all(
          conversions.slice(index, index + 8).map((input) =>
            gql(trackingUrl, `mutation($input: RegisterConversionInput!) { registerConversion(input: $input) { replayed } }`, { input }),
          ),
        );
        for (const result of results) {
          if (result.registerConversion.replayed) totals.duplicates += 1;
          else totals.conversions += 1;
        }
        tick(results.length, CAMPAIGNS[campaign]!.name);
      }
    }
  }
  bar.stop();

  // A little lifecycle variety: one campaign paused, one ended (replayed on later runs).
  await gql(trackingUrl, `mutation($input: PauseCampaignInput!) { pauseCampaign(input: $input) { replayed } }`, {
    input: { campaignId: campaignId(5), idempotencyKey: 'seed:pause:6' },
  });
  await gql(trackingUrl, `mutation($input: EndCampaignInput!) { endCampaign(input: $input) { replayed } }`, {
    input: { campaignId: campaignId(3), idempotencyKey: 'seed:end:4' },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `activity: ${totals.impressions.toLocaleString('en-US')} new impressions, ${totals.conversions.toLocaleString('en-US')} new conversions, ` +
      `${totals.duplicates.toLocaleString('en-US')} already recorded, in ${seconds.toFixed(1)} s`,
  );
  if (skipped.length > 0) console.log(`kept as recorded by an earlier run (not ACTIVE): ${skipped.join(', ')}`);
}

async function main(): Promise<void> {
  console.log(`seeding with --seed ${SEED}, activity in the 14 days before ${new Date(anchor).toISOString()}`);
  const inventoryMutations = await mutationsOf(inventoryUrl);
  const trackingMutations = inventoryUrl === trackingUrl ? inventoryMutations : await mutationsOf(trackingUrl);
  if (inventoryMutations.has('registerProduct')) await seedInventory();
  else console.log(`inventory: skipped (${inventoryUrl} has no registerProduct; pass --inventory-url or use the router)`);
  if (!trackingMutations.has('registerImpressions')) throw new Error(`${trackingUrl} has no registerImpressions: is the tracking subgraph running?`);
  await seedTracking();
  console.log(`\ntry: query { campaign(id: "${campaignId(0)}") { name stats { impressions conversions conversionRate revenue { amount currency } } } }`);
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
