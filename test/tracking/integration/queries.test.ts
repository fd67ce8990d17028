import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import {
  CAMPAIGN_FIELDS,
  CONVERSION_FIELDS,
  COUNTER_FIELDS,
  IMPRESSION_FIELDS,
  INFLUENCER_FIELDS,
  PAUSE_CAMPAIGN,
  REGISTER_CONVERSION,
  campaign,
  fails,
  impressions,
  influencers,
  ok,
  uid,
} from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

let harness: TrackingHarness;
let campaignId: string;
let otherCampaignId: string;
let productId: string;
let influencerIds: [string, string, string];
/** The hour the file started in: setup and expectations agree even when the run crosses an hour boundary. */
const CURRENT_HOUR = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const hour = (offset: number) => new Date(CURRENT_HOUR - offset * 3_600_000);
const at = (hoursAgo: number, minute: number) => new Date(hour(hoursAgo).getTime() + minute * 60_000).toISOString();

beforeAll(async () => {
  harness = await startTrackingHarness();
  productId = uid('prod');
  influencerIds = (await influencers(harness, 3)) as [string, string, string];
  campaignId = await campaign(harness, { productId, startsAt: hour(5).toISOString(), budget: { amount: '500', currency: 'EUR' } });
  otherCampaignId = await campaign(harness, { productId, startsAt: hour(5).toISOString() });
  const [a, b, c] = influencerIds;
  // Campaign: a 6 impressions (3 two hours ago, 3 an hour ago), b 3, c 1; other campaign: a 2.
  await impressions(harness, campaignId, [
    ...[0, 1, 2].map((minute) => ({ id: `${campaignId}-a-${minute}`, influencerId: a, occurredAt: at(2, minute) })),
    ...[0, 1, 2].map((minute) => ({ id: `${campaignId}-a2-${minute}`, influencerId: a, occurredAt: at(1, minute) })),
    ...[3, 4, 5].map((minute) => ({ id: `${campaignId}-b-${minute}`, influencerId: b, occurredAt: at(1, minute) })),
    { id: `${campaignId}-c-0`, influencerId: c, occurredAt: at(1, 10) },
  ]);
  await impressions(
    harness,
    otherCampaignId,
    [0, 1].map((minute) => ({ id: `${otherCampaignId}-a-${minute}`, influencerId: a, occurredAt: at(2, minute) })),
  );
  const conversion = (id: string, influencerId: string, amount: string, currency: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
    ok(harness, REGISTER_CONVERSION, { input: { campaignId, id, influencerId, value: { amount, currency }, occurredAt, ...extra } });
  await conversion(`${campaignId}-v1`, a, '10.00', 'EUR', at(2, 30), { impressionId: `${campaignId}-a-0`, quantity: 2 });
  await conversion(`${campaignId}-v2`, a, '5.50', 'USD', at(1, 30), { quantity: 1 });
  await conversion(`${campaignId}-v3`, b, '2.25', 'EUR', at(1, 40), { productId: 'explicit-product' });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

describe('campaign queries', () => {
  it('campaign(id) returns the read model; an unknown id is null', async () => {
    const data = await ok(harness, `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } missing: campaign(id: "nope") { id } }`, { id: campaignId });
    expect(data.campaign).toMatchObject({
      id: campaignId,
      status: 'ACTIVE',
      budget: { amount: '500.00', currency: 'EUR' },
      productId,
      product: { id: productId },
    });
    expect(data.missing).toBeNull();
  });

  it('campaign stats: totals, conversion rate, revenue per currency, per-influencer breakdown and hourly buckets', async () => {
    const data = await ok(
      harness,
      `query($id: ID!) { campaign(id: $id) { stats {
        position campaignId campaign { id } ${COUNTER_FIELDS} updatedAt
        byInfluencer { influencerId influencer { id } ${COUNTER_FIELDS} }
        hourly { hour ${COUNTER_FIELDS} }
        lastHour: hourly(from: "${hour(1).toISOString()}") { hour impressions }
      } } }`,
      { id: campaignId },
    );
    const stats = data.campaign.stats;
    expect(stats).toMatchObject({
      campaignId,
      campaign: { id: campaignId },
      impressions: 10,
      conversions: 3,
      conversionRate: 0.3,
      revenue: [
        { amount: '12.25', currency: 'EUR' },
        { amount: '5.50', currency: 'USD' },
      ],
      unitsSold: 3,
    });
    const [a, b, c] = influencerIds;
    expect(stats.byInfluencer).toEqual([
      {
        influencerId: a,
        influencer: { id: a },
        impressions: 6,
        conversions: 2,
        conversionRate: 0.333333,
        revenue: [
          { amount: '10.00', currency: 'EUR' },
          { amount: '5.50', currency: 'USD' },
        ],
        unitsSold: 3,
      },
      {
        influencerId: b,
        influencer: { id: b },
        impressions: 3,
        conversions: 1,
        conversionRate: 0.333333,
        revenue: [{ amount: '2.25', currency: 'EUR' }],
        unitsSold: 0,
      },
      { influencerId: c, influencer: { id: c }, impressions: 1, conversions: 0, conversionRate: 0, revenue: [], unitsSold: 0 },
    ]);
    expect(stats.hourly).toEqual([
      { hour: hour(2).toISOString(), impressions: 3, conversions: 1, conversionRate: 0.333333, revenue: [{ amount: '10.00', currency: 'EUR' }], unitsSold: 2 },
      {
        hour: hour(1).toISOString(),
        impressions: 7,
        conversions: 2,
        conversionRate: 0.285714,
        revenue: [
          { amount: '2.25', currency: 'EUR' },
          { amount: '5.50', currency: 'USD' },
        ],
        unitsSold: 1,
      },
    ]);
    expect(stats.lastHour).toEqual([{ hour: hour(1).toISOString(), impressions: 7 }]);
    const [last] = await harness.platform.db.sql.query<{ position: string }>('SELECT max(position)::text AS position FROM events WHERE stream_id = $1', [
      `activity-${campaignId}`,
    ]);
    expect(stats.position).toBe(last!.position);
  });

  it('a campaign without activity has zero stats at the position of its own last event', async () => {
    const id = await campaign(harness);
    const data = await ok(
      harness,
      `query($id: ID!) { campaign(id: $id) { stats { position ${COUNTER_FIELDS} byInfluencer { influencerId } hourly { hour } } } }`,
      { id },
    );
    const [created] = await harness.platform.store.readStream(`campaign-${id}`);
    expect(data.campaign.stats).toEqual({
      position: created!.position,
      impressions: 0,
      conversions: 0,
      conversionRate: 0,
      revenue: [],
      unitsSold: 0,
      byInfluencer: [],
      hourly: [],
    });
  });

  it('campaign impressions and conversions are Relay connections, newest first, paged with after', async () => {
    const first = await ok(
      harness,
      `query($id: ID!) { campaign(id: $id) { impressions(first: 4) { edges { cursor node { ${IMPRESSION_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`,
      { id: campaignId },
    );
    const page1 = first.campaign.impressions;
    expect(page1.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([
      `${campaignId}-c-0`,
      `${campaignId}-b-5`,
      `${campaignId}-b-4`,
      `${campaignId}-b-3`,
    ]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[3].cursor });
    const next = await ok(
      harness,
      `query($id: ID!, $after: String) { campaign(id: $id) { impressions(first: 10, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } }`,
      {
        id: campaignId,
        after: page1.pageInfo.endCursor,
      },
    );
    expect(next.campaign.impressions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([
      `${campaignId}-a2-2`,
      `${campaignId}-a2-1`,
      `${campaignId}-a2-0`,
      `${campaignId}-a-2`,
      `${campaignId}-a-1`,
      `${campaignId}-a-0`,
    ]);
    expect(next.campaign.impressions.pageInfo.hasNextPage).toBe(false);
    const conversions = await ok(
      harness,
      `query($id: ID!) { campaign(id: $id) { conversions(first: 2) { edges { node { ${CONVERSION_FIELDS} impression { id } } } pageInfo { hasNextPage } } } }`,
      { id: campaignId },
    );
    expect(conversions.campaign.conversions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([`${campaignId}-v3`, `${campaignId}-v2`]);
    expect(conversions.campaign.conversions.edges[0].node).toMatchObject({ productId: 'explicit-product', impression: null });
    expect(conversions.campaign.conversions.pageInfo.hasNextPage).toBe(true);
  });

  it('campaign influencers are those with activity in it', async () => {
    const data = await ok(harness, `query($id: ID!) { campaign(id: $id) { influencers { id } } }`, { id: otherCampaignId });
    expect(data.campaign.influencers).toEqual([{ id: influencerIds[0] }]);
  });

  it('campaigns lists newest first, filtered by status or product, with cursors', async () => {
    const paused = await campaign(harness, { productId });
    await ok(harness, PAUSE_CAMPAIGN, { input: { campaignId: paused } });
    const byProduct = await ok(harness, `query($p: ID) { campaigns(productId: $p) { edges { node { id } } } }`, { p: productId });
    expect(byProduct.campaigns.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([paused, otherCampaignId, campaignId]);
    const pausedOnly = await ok(harness, `{ campaigns(status: PAUSED) { edges { node { id status } } } }`);
    expect(pausedOnly.campaigns.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(paused);
    expect(pausedOnly.campaigns.edges.every((edge: { node: { status: string } }) => edge.node.status === 'PAUSED')).toBe(true);
    const one = await ok(harness, `query($p: ID) { campaigns(productId: $p, first: 1) { edges { cursor } pageInfo { endCursor hasNextPage } } }`, {
      p: productId,
    });
    const rest = await ok(harness, `query($p: ID, $after: String) { campaigns(productId: $p, after: $after) { edges { node { id } } } }`, {
      p: productId,
      after: one.campaigns.pageInfo.endCursor,
    });
    expect(rest.campaigns.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([otherCampaignId, campaignId]);
  });
});

describe('influencer, impression and conversion queries', () => {
  it('influencer(id) with its stats across campaigns, per-campaign breakdown, lists and campaigns', async () => {
    const [a] = influencerIds;
    const data = await ok(
      harness,
      `query($id: ID!) { influencer(id: $id) {
        ${INFLUENCER_FIELDS}
        stats { position influencerId influencer { id } ${COUNTER_FIELDS} byCampaign { campaignId campaign { id } impressions conversions } hourly { hour impressions } }
        impressions(first: 1) { edges { node { id } } pageInfo { hasNextPage } }
        conversions { edges { node { id } } }
        campaigns { id }
      } }`,
      { id: a },
    );
    const influencer = data.influencer;
    expect(influencer.stats).toMatchObject({ influencerId: a, influencer: { id: a }, impressions: 8, conversions: 2, unitsSold: 3 });
    expect(influencer.stats.byCampaign).toEqual([
      { campaignId, campaign: { id: campaignId }, impressions: 6, conversions: 2 },
      { campaignId: otherCampaignId, campaign: { id: otherCampaignId }, impressions: 2, conversions: 0 },
    ]);
    expect(influencer.stats.hourly).toEqual([
      { hour: hour(2).toISOString(), impressions: 5 },
      { hour: hour(1).toISOString(), impressions: 3 },
    ]);
    expect(influencer.impressions).toEqual({ edges: [{ node: { id: `${campaignId}-a2-2` } }], pageInfo: { hasNextPage: true } });
    expect(influencer.conversions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([`${campaignId}-v2`, `${campaignId}-v1`]);
    expect(influencer.campaigns.map((item: { id: string }) => item.id)).toEqual([campaignId, otherCampaignId]);
  });

  it('influencers lists newest first, filtered by platform', async () => {
    const data = await ok(harness, `{ influencers(first: 2, platform: INSTAGRAM) { edges { node { id platform } } pageInfo { hasNextPage } } }`);
    expect(data.influencers.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([influencerIds[2], influencerIds[1]]);
    expect(data.influencers.pageInfo.hasNextPage).toBe(true);
  });

  it('impression(id) and conversion(id) return the read models with their campaign and influencer', async () => {
    const data = await ok(
      harness,
      `query($i: ID!, $c: ID!) {
        impression(id: $i) { ${IMPRESSION_FIELDS} campaign { id } influencer { id } }
        conversion(id: $c) { ${CONVERSION_FIELDS} campaign { id } influencer { handle } impression { id } product { id } store { id } }
        none: impression(id: "none") { id }
      }`,
      { i: `${campaignId}-a-0`, c: `${campaignId}-v1` },
    );
    expect(data.impression).toEqual({
      id: `${campaignId}-a-0`,
      campaignId,
      influencerId: influencerIds[0],
      occurredAt: at(2, 0),
      campaign: { id: campaignId },
      influencer: { id: influencerIds[0] },
    });
    expect(data.conversion).toMatchObject({
      id: `${campaignId}-v1`,
      value: { amount: '10.00', currency: 'EUR' },
      quantity: 2,
      productId,
      product: { id: productId },
      store: null,
      impression: { id: `${campaignId}-a-0` },
      campaign: { id: campaignId },
      influencer: { handle: influencerIds[0] },
    });
    expect(data.none).toBeNull();
  });
});

describe('federation entities', () => {
  it('Product resolves by id without inventory: its campaigns and conversion stats', async () => {
    const data = await ok(
      harness,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Product { id campaigns { id } conversionStats { productId conversions unitsSold revenue { amount currency } } }
      } }`,
      {
        representations: [
          { __typename: 'Product', id: productId },
          { __typename: 'Product', id: 'explicit-product' },
          { __typename: 'Product', id: 'unknown' },
        ],
      },
    );
    expect(data._entities).toEqual([
      {
        id: productId,
        campaigns: expect.any(Array),
        conversionStats: {
          productId,
          conversions: 2,
          unitsSold: 3,
          revenue: [
            { amount: '10.00', currency: 'EUR' },
            { amount: '5.50', currency: 'USD' },
          ],
        },
      },
      {
        id: 'explicit-product',
        campaigns: [],
        conversionStats: { productId: 'explicit-product', conversions: 1, unitsSold: 0, revenue: [{ amount: '2.25', currency: 'EUR' }] },
      },
      { id: 'unknown', campaigns: [], conversionStats: { productId: 'unknown', conversions: 0, unitsSold: 0, revenue: [] } },
    ]);
    // Newest first (another test may have added a newer campaign of the product).
    expect(data._entities[0].campaigns.slice(-2)).toEqual([{ id: otherCampaignId }, { id: campaignId }]);
  });

  it('Campaign, Influencer, Impression and Conversion resolve by key; Campaign.product is a stub for inventory', async () => {
    const data = await ok(
      harness,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        __typename
        ... on Campaign { id name product { id } }
        ... on Influencer { id handle }
        ... on Impression { id }
        ... on Conversion { id position }
      } }`,
      {
        representations: [
          { __typename: 'Campaign', id: campaignId },
          { __typename: 'Influencer', id: influencerIds[1] },
          { __typename: 'Impression', id: `${campaignId}-b-3` },
          { __typename: 'Conversion', id: `${campaignId}-v2` },
          { __typename: 'Campaign', id: 'missing' },
        ],
      },
    );
    expect(data._entities).toEqual([
      { __typename: 'Campaign', id: campaignId, name: `Campaign ${campaignId}`, product: { id: productId } },
      { __typename: 'Influencer', id: influencerIds[1], handle: influencerIds[1] },
      { __typename: 'Impression', id: `${campaignId}-b-3` },
      { __typename: 'Conversion', id: `${campaignId}-v2`, position: expect.stringMatching(/^\d+$/) },
      null,
    ]);
  });

  it('the SDL is served for composition', async () => {
    const data = await ok(harness, `{ _service { sdl } }`);
    expect(data._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
    expect(data._service.sdl).toMatch(/campaignStatsUpdated\(campaignId: ID!, after: String\): CampaignStats!/);
  });

  it('a bad hourly range is rejected by the DateTime scalar', async () => {
    await fails(harness, 'BAD_USER_INPUT', `query($id: ID!, $from: DateTime) { campaign(id: $id) { stats { hourly(from: $from) { hour } } } }`, {
      id: campaignId,
      from: 'yesterday',
    });
  });
});
