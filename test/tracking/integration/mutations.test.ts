import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import {
  CREATE_CAMPAIGN,
  END_CAMPAIGN,
  PAUSE_CAMPAIGN,
  REGISTER_CONVERSION,
  REGISTER_IMPRESSION,
  REGISTER_IMPRESSIONS,
  REGISTER_INFLUENCER,
  RESUME_CAMPAIGN,
  campaign,
  influencers,
  minutesAgo,
  ok,
  uid,
} from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

let harness: TrackingHarness;

beforeAll(async () => {
  harness = await startTrackingHarness();
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

const isoInstant = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const decimal = expect.stringMatching(/^\d+$/);

describe('campaign and influencer mutations over HTTP', () => {
  it('createCampaign returns the committed campaign and its CampaignCreated event with the request metadata', async () => {
    const id = uid('c');
    const startsAt = '2026-01-01T00:00:00.000Z';
    const data = await ok(
      harness,
      CREATE_CAMPAIGN,
      { input: { id, name: '  Winter launch ', budget: { amount: '1500.5', currency: 'EUR' }, startsAt, endsAt: '2027-01-01T00:00:00Z', productId: 'p-42' } },
      { correlationId: 'corr-create-campaign', actor: 'user:ada' },
    );
    const payload = data.createCampaign;
    expect(payload.replayed).toBe(false);
    expect(payload.campaign).toEqual({
      id,
      name: 'Winter launch',
      status: 'ACTIVE',
      budget: { amount: '1500.50', currency: 'EUR' },
      startsAt,
      endsAt: '2027-01-01T00:00:00.000Z',
      productId: 'p-42',
      product: { id: 'p-42' },
      version: 1,
      createdAt: isoInstant,
      updatedAt: isoInstant,
    });
    expect(payload.events).toEqual([
      {
        position: decimal,
        streamId: `campaign-${id}`,
        version: 1,
        type: 'CampaignCreated',
        data: {
          schemaVersion: 2,
          campaignId: id,
          name: 'Winter launch',
          budget: { amount: '1500.50', currency: 'EUR' },
          startsAt,
          endsAt: '2027-01-01T00:00:00.000Z',
          productId: 'p-42',
        },
        occurredAt: payload.campaign.createdAt,
        metadata: { correlationId: 'corr-create-campaign', causationId: null, actor: 'user:ada', idempotencyKey: null },
      },
    ]);
    const stored = await harness.platform.store.readStream(`campaign-${id}`);
    expect(stored.map((event) => event.position)).toEqual([payload.events[0].position]);
  });

  it('createCampaign without an id or dates generates the id, starts now and is open-ended; a repeated idempotency key replays it', async () => {
    const key = uid('key');
    const first = (await ok(harness, CREATE_CAMPAIGN, { input: { name: 'Generated', idempotencyKey: key } })).createCampaign;
    expect(first.campaign.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.campaign.endsAt).toBeNull();
    expect(first.campaign.budget).toBeNull();
    expect(first.campaign.product).toBeNull();
    expect(Math.abs(Date.parse(first.campaign.startsAt) - Date.now())).toBeLessThan(60_000);
    const again = (await ok(harness, CREATE_CAMPAIGN, { input: { name: 'Generated', idempotencyKey: key } })).createCampaign;
    expect(again.replayed).toBe(true);
    expect(again.campaign.id).toBe(first.campaign.id);
    expect(again.events).toEqual(first.events);
  });

  it('pauseCampaign, resumeCampaign and endCampaign move the status and append one event each', async () => {
    const id = await campaign(harness);
    const paused = (await ok(harness, PAUSE_CAMPAIGN, { input: { campaignId: id, expectedVersion: 1 } })).pauseCampaign;
    expect(paused.campaign).toMatchObject({ id, status: 'PAUSED', version: 2 });
    expect(paused.events).toEqual([expect.objectContaining({ type: 'CampaignPaused', version: 2, data: { campaignId: id, pausedAt: isoInstant } })]);
    const resumed = (await ok(harness, RESUME_CAMPAIGN, { input: { campaignId: id } })).resumeCampaign;
    expect(resumed.campaign).toMatchObject({ status: 'ACTIVE', version: 3 });
    expect(resumed.events[0].type).toBe('CampaignResumed');
    const key = uid('end');
    const ended = (await ok(harness, END_CAMPAIGN, { input: { campaignId: id, idempotencyKey: key } })).endCampaign;
    expect(ended.campaign).toMatchObject({ status: 'ENDED', version: 4 });
    expect(ended.events[0]).toMatchObject({ type: 'CampaignEnded', metadata: { idempotencyKey: key } });
    const replay = (await ok(harness, END_CAMPAIGN, { input: { campaignId: id, idempotencyKey: key } })).endCampaign;
    expect(replay).toMatchObject({ replayed: true, campaign: { status: 'ENDED', version: 4 } });
  });

  it('registerInfluencer returns the influencer and its InfluencerRegistered event', async () => {
    const id = uid('i');
    const payload = (await ok(harness, REGISTER_INFLUENCER, { input: { id, handle: 'ada.lovelace', platform: 'YOUTUBE' } })).registerInfluencer;
    expect(payload.influencer).toEqual({ id, handle: 'ada.lovelace', platform: 'YOUTUBE', version: 1, createdAt: isoInstant, updatedAt: isoInstant });
    expect(payload.events).toEqual([
      expect.objectContaining({
        streamId: `influencer-${id}`,
        type: 'InfluencerRegistered',
        data: { influencerId: id, handle: 'ada.lovelace', platform: 'YOUTUBE' },
      }),
    ]);
  });
});

describe('activity mutations over HTTP', () => {
  it('registerImpression records one impression, counts it and returns its event on the campaign activity stream', async () => {
    const campaignId = await campaign(harness);
    const [influencerId] = await influencers(harness, 1);
    const occurredAt = minutesAgo(5);
    const id = uid('imp');
    const payload = (await ok(harness, REGISTER_IMPRESSION, { input: { campaignId, id, influencerId, occurredAt } })).registerImpression;
    expect(payload.replayed).toBe(false);
    expect(payload.impression).toEqual({ id, campaignId, influencerId, occurredAt });
    expect(payload.stats).toEqual({
      position: payload.events[0].position,
      campaignId,
      impressions: 1,
      conversions: 0,
      conversionRate: 0,
      revenue: [],
      unitsSold: 0,
    });
    expect(payload.events).toEqual([
      expect.objectContaining({
        streamId: `activity-${campaignId}`,
        version: 1,
        type: 'ImpressionRegistered',
        data: { impressionId: id, campaignId, influencerId, occurredAt },
      }),
    ]);
  });

  it('registerImpression without occurredAt records it at the time it arrives', async () => {
    const campaignId = await campaign(harness);
    const [influencerId] = await influencers(harness, 1);
    const payload = (await ok(harness, REGISTER_IMPRESSION, { input: { campaignId, id: uid('imp'), influencerId } })).registerImpression;
    expect(Math.abs(Date.parse(payload.impression.occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it('registerImpressions appends the batch in one append and returns every impression in request order', async () => {
    const campaignId = await campaign(harness);
    const [a, b] = await influencers(harness, 2);
    const entries = Array.from({ length: 50 }, (_, index) => ({
      id: `${campaignId}-imp-${index}`,
      influencerId: index % 2 === 0 ? a : b,
      occurredAt: minutesAgo(50 - index),
    }));
    const payload = (await ok(harness, REGISTER_IMPRESSIONS, { input: { campaignId, impressions: entries } })).registerImpressions;
    expect(payload).toMatchObject({ accepted: 50, duplicates: 0, replayed: false });
    expect(payload.impressions.map((impression: { id: string }) => impression.id)).toEqual(entries.map((entry) => entry.id));
    expect(payload.events).toHaveLength(50);
    expect(payload.events.map((event: { version: number }) => event.version)).toEqual(entries.map((_, index) => index + 1));
    // One statement: the positions of one append are consecutive.
    const positions = payload.events.map((event: { position: string }) => BigInt(event.position));
    expect(positions[49] - positions[0]).toBe(49n);
    expect(new Set(payload.events.map((event: { metadata: { correlationId: string } }) => event.metadata.correlationId)).size).toBe(1);
    expect(payload.stats).toMatchObject({ impressions: 50, position: payload.events[49].position });
  });

  it('registerConversion records the value as canonical money, defaults the product to the campaign product and counts revenue', async () => {
    const campaignId = await campaign(harness, { productId: 'prod-1' });
    const [influencerId] = await influencers(harness, 1);
    const impressionId = uid('imp');
    await ok(harness, REGISTER_IMPRESSION, { input: { campaignId, id: impressionId, influencerId, occurredAt: minutesAgo(10) } });
    const id = uid('conv');
    const occurredAt = minutesAgo(2);
    const payload = (
      await ok(harness, REGISTER_CONVERSION, {
        input: { campaignId, id, influencerId, value: { amount: '19.9', currency: 'EUR' }, impressionId, storeId: 'store-9', quantity: 2, occurredAt },
      })
    ).registerConversion;
    expect(payload.replayed).toBe(false);
    expect(payload.conversion).toEqual({
      id,
      position: payload.events[0].position,
      campaignId,
      influencerId,
      value: { amount: '19.90', currency: 'EUR' },
      impressionId,
      productId: 'prod-1',
      storeId: 'store-9',
      quantity: 2,
      occurredAt,
    });
    expect(payload.events[0]).toMatchObject({
      type: 'ConversionRegistered',
      streamId: `activity-${campaignId}`,
      version: 2,
      data: { conversionId: id, value: { amount: '19.90', currency: 'EUR' }, valueMinor: 1990, productId: 'prod-1', quantity: 2 },
    });
    expect(payload.stats).toMatchObject({ impressions: 1, conversions: 1, conversionRate: 1, revenue: [{ amount: '19.90', currency: 'EUR' }], unitsSold: 2 });
  });

  it('registerConversion without optional fields keeps them null; revenue adds up per currency', async () => {
    const campaignId = await campaign(harness);
    const [influencerId] = await influencers(harness, 1);
    const values = [
      { amount: '0', currency: 'USD' },
      { amount: '10.01', currency: 'EUR' },
      { amount: '0.99', currency: 'EUR' },
      { amount: '5', currency: 'USD' },
    ];
    let last: any;
    for (const value of values) {
      last = (await ok(harness, REGISTER_CONVERSION, { input: { campaignId, id: uid('conv'), influencerId, value } })).registerConversion;
    }
    expect(last.conversion).toMatchObject({ impressionId: null, productId: null, storeId: null, quantity: null });
    expect(last.stats).toMatchObject({
      impressions: 0,
      conversions: 4,
      conversionRate: 0,
      revenue: [
        { amount: '11.00', currency: 'EUR' },
        { amount: '5.00', currency: 'USD' },
      ],
    });
  });
});
