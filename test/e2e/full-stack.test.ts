import { operationFromDocument } from '@apollo/federation-internals';
import { prettyFormatQueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import { bearer } from '../support/security.js';

let stack: FullStack;
const url = () => stack.router.url;

async function mutate(query: string, variables: Record<string, unknown> = {}) {
  const result = await gql(url(), query, variables, await bearer());
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

beforeAll(async () => {
  stack = await startFullStack();
  await mutate(`mutation {
    registerProduct(input: { id: "p1", sku: "TEA-1", name: "Matcha tea" }) { product { id } }
    madrid: registerStore(input: { id: "s1", name: "Madrid" }) { store { id } }
    lisbon: registerStore(input: { id: "s2", name: "Lisbon" }) { store { id } }
  }`);
  await mutate(`mutation {
    a: addStock(input: { productId: "p1", storeId: "s1", quantity: 10 }) { stockLevel { total } }
    b: addStock(input: { productId: "p1", storeId: "s2", quantity: 5 }) { stockLevel { total } }
  }`);
  await mutate(`mutation {
    createCampaign(input: { id: "c1", name: "Spring launch", productId: "p1", startsAt: "2026-01-01T00:00:00.000Z" }) { campaign { id } }
    registerInfluencer(input: { id: "i1", handle: "tea_lover", platform: INSTAGRAM }) { influencer { id } }
  }`);
  await mutate(`mutation {
    registerImpressions(input: { campaignId: "c1", impressions: [
      { id: "imp-1", influencerId: "i1" }, { id: "imp-2", influencerId: "i1" },
      { id: "imp-3", influencerId: "i1" }, { id: "imp-4", influencerId: "i1" }
    ] }) { accepted }
  }`);
  await mutate(`mutation {
    registerConversion(input: { campaignId: "c1", id: "conv-1", influencerId: "i1", impressionId: "imp-1",
      value: { amount: "19.90", currency: "EUR" }, productId: "p1", storeId: "s1", quantity: 1 }) { conversion { id } }
  }`);
  const created = await mutate(`mutation {
    short: createEntry(input: { id: "e1", model: "gpt-4o", prompt: "Write a tagline for matcha tea",
      content: "Matcha tea.", subject: { type: CAMPAIGN, id: "c1" } }) { entry { id } }
    long: createEntry(input: { id: "e2", model: "gpt-4o", prompt: "Write a tagline for matcha tea",
      content: "Matcha tea wakes you gently. Stone-ground leaves give a calm, bright energy that lasts all morning.",
      subject: { type: CAMPAIGN, id: "c1" } }) { entry { id } }
    description: createEntry(input: { id: "e3", model: "claude", content: "A smooth, grassy matcha from Uji.",
      subject: { type: PRODUCT, id: "p1" } }) { entry { id } }
  }`);
  expect(created.short.entry.id).toBe('e1');
  await mutate(`mutation {
    a: assessQuality(input: { entryId: "e1" }) { assessment { score } }
    b: assessQuality(input: { entryId: "e2" }) { assessment { score } }
  }`);
});

afterAll(async () => {
  await stack?.close();
});

describe('the product through the router', () => {
  it('answers the design query across history, inventory and tracking in one request', async () => {
    const result = await gql(
      url(),
      `{
      campaign(id: "c1") {
        name
        stats { impressions conversions conversionRate revenue { amount currency } }
        product { name totalAvailable stockLevels { store { name } available } }
        bestCreative { id content latestAssessment { score } }
      }
    }`,
    );
    expect(result.errors).toBeUndefined();
    const campaign = result.data!.campaign;
    expect(campaign.name).toBe('Spring launch');
    expect(campaign.stats).toEqual({ impressions: 4, conversions: 1, conversionRate: 0.25, revenue: [{ amount: '19.90', currency: 'EUR' }] });
    expect(campaign.product.name).toBe('Matcha tea');
    expect(campaign.product.totalAvailable).toBe(15);
    expect(campaign.product.stockLevels.map((level: { store: { name: string }; available: number }) => [level.store.name, level.available]).sort()).toEqual([
      ['Lisbon', 5],
      ['Madrid', 10],
    ]);
    // The longer, richer creative scores higher than the two-word one.
    expect(campaign.bestCreative.id).toBe('e2');
    expect(campaign.bestCreative.latestAssessment.score).toBeGreaterThan(0);
  });

  it('joins a product with its campaigns (tracking) and generated descriptions (history)', async () => {
    const result = await gql(url(), `{ product(id: "p1") { name campaigns { id name } generatedDescriptions { id content } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.product).toEqual({
      name: 'Matcha tea',
      campaigns: [{ id: 'c1', name: 'Spring launch' }],
      generatedDescriptions: [{ id: 'e3', content: 'A smooth, grassy matcha from Uji.' }],
    });
  });

  it('plans campaigns with their products as one batched entity fetch per level', async () => {
    for (let index = 2; index <= 6; index += 1) {
      await mutate(
        `mutation($id: ID!) { createCampaign(input: { id: $id, name: "More", productId: "p1", startsAt: "2026-01-01T00:00:00.000Z" }) { campaign { id } } }`,
        {
          id: `c${index}`,
        },
      );
    }
    const query = '{ campaigns(first: 10) { edges { node { id product { name totalAvailable } } } } }';
    const loaded = stack.router.current();
    const plan = prettyFormatQueryPlan(loaded.planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, parse(query))));
    // One fetch to tracking for the campaigns, then one _entities fetch to inventory for all products.
    expect(plan.match(/Fetch\(service: "tracking"\)/g)).toHaveLength(1);
    expect(plan.match(/Fetch\(service: "inventory"\)/g)).toHaveLength(1);
    const result = await gql(url(), query);
    expect(result.errors).toBeUndefined();
    const edges = result.data!.campaigns.edges as Array<{ node: { product: { name: string; totalAvailable: number } } }>;
    expect(edges).toHaveLength(6);
    for (const edge of edges) expect(edge.node.product).toEqual({ name: 'Matcha tea', totalAvailable: 15 });
  });

  it('streams campaign stats enriched with the product stock from inventory', async () => {
    const opened = stack.liveOpened();
    const client = wsClient(stack.router.wsUrl);
    const stream = collect(
      client,
      `subscription {
      campaignStatsUpdated(campaignId: "c1") { position impressions conversions campaign { name product { totalAvailable } } }
    }`,
    );
    await eventually(() => stack.router.engine.stats().upstreams > 0, 10_000, 'upstream');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the subgraph to listen');
    await mutate(`mutation { registerImpression(input: { campaignId: "c1", id: "imp-live", influencerId: "i1" }) { impression { id } } }`);
    const [update] = await stream.waitFor(1, 15_000);
    expect(update?.data?.campaignStatsUpdated).toMatchObject({
      impressions: 5,
      conversions: 1,
      campaign: { name: 'Spring launch', product: { totalAvailable: 15 } },
    });
    expect(typeof update?.data?.campaignStatsUpdated.position).toBe('string');
    stream.dispose();
    await client.dispose();
  });
});
