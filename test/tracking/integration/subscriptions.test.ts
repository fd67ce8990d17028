import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { untilSentinel } from '../../support/sentinel.js';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import {
  CONVERSION_FIELDS,
  REGISTER_CONVERSION,
  REGISTER_IMPRESSION,
  SubscriptionProbe,
  campaign,
  impressions,
  influencers,
  minutesAgo,
  ok,
  sleep,
  subscribeLive,
  uid,
  waitFor,
  wsClient,
} from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

const INTERVAL_MS = 150;
let harness: TrackingHarness;
let influencerIds: string[];
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startTrackingHarness({ statsIntervalMs: INTERVAL_MS });
  influencerIds = await influencers(harness, 2);
}, HOOK_TIMEOUT_MS);

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

function client(): Client {
  const created = wsClient(harness);
  clients.push(created);
  return created;
}

const STATS_SUBSCRIPTION = `subscription($campaignId: ID!, $after: String) {
  campaignStatsUpdated(campaignId: $campaignId, after: $after) {
    position campaignId impressions conversions conversionRate revenue { amount currency } unitsSold
    campaign { id status }
    byInfluencer { influencerId impressions }
  }
}`;
const CONVERSION_SUBSCRIPTION = `subscription($campaignId: ID!, $after: String) {
  conversionRegistered(campaignId: $campaignId, after: $after) { ${CONVERSION_FIELDS} campaign { id } }
}`;

interface StatsItem {
  position: string;
  campaignId: string;
  impressions: number;
  conversions: number;
  revenue: Array<{ amount: string; currency: string }>;
  campaign: { id: string; status: string };
  byInfluencer: Array<{ influencerId: string; impressions: number }>;
}

async function activityPositions(campaignId: string): Promise<string[]> {
  return (await harness.platform.store.readStream(`activity-${campaignId}`)).map((event) => event.position);
}

/**
 * What a stats `probe` received before the update of a sentinel impression registered now, the
 * one that brings the campaign to `impressions`: a stray or repeated update would come first. The
 * coalescer holds an input for up to one interval and would fold it into the sentinel's update,
 * so one interval passes first: that timing is the coalescer's, and decides what it sends.
 */
async function beforeSentinelImpression(probe: SubscriptionProbe<StatsItem>, campaignId: string, impressionsAfter: number): Promise<StatsItem[]> {
  await sleep(INTERVAL_MS);
  return untilSentinel(
    probe.items,
    () => impressions(harness, campaignId, [{ id: uid('sentinel'), influencerId: influencerIds[0]! }]),
    (item) => item.impressions === impressionsAfter,
  );
}

/** What a conversion `probe` received before a sentinel conversion registered now. */
async function beforeSentinelConversion<Item extends { readonly id?: unknown }>(
  probe: { readonly items: readonly Item[] },
  campaignId: string,
): Promise<Item[]> {
  const sentinel = conversionInput(campaignId, '0.01');
  return untilSentinel(
    probe.items,
    () => ok(harness, REGISTER_CONVERSION, sentinel),
    (item) => item.id === sentinel.input.id,
  );
}

const conversionInput = (campaignId: string, amount: string) => ({
  input: { campaignId, id: uid('conv'), influencerId: influencerIds[0], value: { amount, currency: 'EUR' }, occurredAt: minutesAgo(1) },
});

describe('campaignStatsUpdated', () => {
  it('coalesces a burst into a few updates, at most one per interval, ending on the latest state', async () => {
    const campaignId = await campaign(harness);
    const probe = await subscribeLive<StatsItem>(harness, client(), STATS_SUBSCRIPTION, { campaignId });
    // A burst: 40 single impressions sent 8 at a time, 3 batches and 2 conversions, as fast as possible.
    const singles = Array.from({ length: 40 }, (_, index) => ({
      campaignId,
      id: `${campaignId}-s${index}`,
      influencerId: influencerIds[index % 2],
      occurredAt: minutesAgo(2),
    }));
    for (let index = 0; index < singles.length; index += 8) {
      await Promise.all(singles.slice(index, index + 8).map((input) => ok(harness, REGISTER_IMPRESSION, { input })));
    }
    for (let batch = 0; batch < 3; batch += 1) {
      await impressions(
        harness,
        campaignId,
        Array.from({ length: 100 }, (_, index) => ({ id: `${campaignId}-b${batch}-${index}`, influencerId: influencerIds[1]!, occurredAt: minutesAgo(3) })),
      );
    }
    await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '3.00'));
    await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '4.50'));
    const positions = await activityPositions(campaignId);
    const lastPosition = positions[positions.length - 1]!;
    await probe.waitUntil((received) => received.some((item) => item.position === lastPosition), 'the update carrying the last position');
    const items = await beforeSentinelImpression(probe, campaignId, 341);
    // 45 commits (342 events) arrive as far fewer updates.
    expect(items.length).toBeLessThan(45);
    expect(items.length).toBeGreaterThanOrEqual(1);
    const final = items[items.length - 1]!;
    expect(final).toMatchObject({
      position: lastPosition,
      campaignId,
      impressions: 340,
      conversions: 2,
      revenue: [{ amount: '7.50', currency: 'EUR' }],
      campaign: { id: campaignId, status: 'ACTIVE' },
    });
    expect(final.byInfluencer).toEqual([
      { influencerId: influencerIds[1], impressions: 320 },
      { influencerId: influencerIds[0], impressions: 20 },
    ]);
    // Counters never go back, and updates are an interval apart. Arrival times are read in this
    // process, where a busy event loop (the embedded database runs here too) shifts single arrivals,
    // so the spacing is checked over the whole run with one interval of slack; the unit tests of
    // coalesceLatest check each gap.
    for (let index = 1; index < items.length; index += 1) {
      expect(items[index]!.impressions).toBeGreaterThanOrEqual(items[index - 1]!.impressions);
    }
    const arrivals = probe.arrivals.slice(0, items.length);
    const span = arrivals[arrivals.length - 1]! - arrivals[0]!;
    expect(span).toBeGreaterThanOrEqual((arrivals.length - 2) * INTERVAL_MS);
    probe.stop();
  });

  it('streams nothing for another campaign and fails for an unknown one', async () => {
    const campaignId = await campaign(harness);
    const other = await campaign(harness);
    const probe = await subscribeLive<StatsItem>(harness, client(), STATS_SUBSCRIPTION, { campaignId });
    await impressions(harness, other, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    const [item] = await probe.waitForItems(1);
    expect(item).toMatchObject({ campaignId, impressions: 1 });
    expect(await beforeSentinelImpression(probe, campaignId, 2)).toHaveLength(1);
    probe.stop();

    const failing = new SubscriptionProbe(client(), STATS_SUBSCRIPTION, { campaignId: 'no-such-campaign' });
    await waitFor(() => failing.errors.length > 0, 'the NOT_FOUND error');
    expect(failing.errors[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('updates on the commit notice without waiting for the publisher, and sends nothing again when the events follow', async () => {
    const campaignId = await campaign(harness);
    const probe = await subscribeLive<StatsItem>(harness, client(), STATS_SUBSCRIPTION, { campaignId });
    const publisher = harness.platform.publisher;
    await publisher.stop();
    try {
      const published = publisher.publishedCount;
      await impressions(
        harness,
        campaignId,
        Array.from({ length: 5 }, () => ({ id: uid('imp'), influencerId: influencerIds[0]! })),
      );
      const [item] = await probe.waitForItems(1);
      const positions = await activityPositions(campaignId);
      expect(item).toMatchObject({ campaignId, impressions: 5, position: positions[positions.length - 1] });
      // Nothing went through the publisher: the notice alone brought the update.
      expect(publisher.publishedCount).toBe(published);
    } finally {
      publisher.start();
    }
    await waitFor(async () => !(await publisher.publishBatch()), 'the publisher to catch up');
    // The events arrived too (they are the certain path), and found the stats as already sent.
    expect(await beforeSentinelImpression(probe, campaignId, 6)).toHaveLength(1);
    probe.stop();
  });

  it('resumes after a position: the missed activity arrives as the latest state with the latest position', async () => {
    const campaignId = await campaign(harness);
    await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    const [resumeAfter] = await activityPositions(campaignId);
    // Missed while disconnected: two batches and a conversion.
    await impressions(
      harness,
      campaignId,
      Array.from({ length: 5 }, (_, index) => ({ id: `${campaignId}-m${index}`, influencerId: influencerIds[1]! })),
    );
    await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '1.00'));
    const positions = await activityPositions(campaignId);
    const lastPosition = positions[positions.length - 1];
    const probe = new SubscriptionProbe<StatsItem>(client(), STATS_SUBSCRIPTION, { campaignId, after: resumeAfter });
    await probe.waitUntil((items) => items.some((item) => item.position === lastPosition), 'the update at the last position');
    // Then live: the next impression is the sentinel, with the eighth.
    const replayed = await beforeSentinelImpression(probe, campaignId, 8);
    // One coalesced update (two when the newest events were still on their way to the bus while
    // the store was replayed), every one with the complete counts; the last at the last position.
    expect(replayed.length).toBeLessThanOrEqual(2);
    for (const item of replayed) expect(item).toMatchObject({ impressions: 7, conversions: 1 });
    expect(replayed[replayed.length - 1]!.position).toBe(lastPosition);
    probe.stop();
  });

  it('resuming after the latest position replays nothing', async () => {
    const campaignId = await campaign(harness);
    await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    const positions = await activityPositions(campaignId);
    const probe = new SubscriptionProbe<StatsItem>(client(), STATS_SUBSCRIPTION, { campaignId, after: positions[0] });
    await waitFor(() => harness.busSubscriptions() > 0, 'the subscription');
    expect(await beforeSentinelImpression(probe, campaignId, 2)).toEqual([]);
    probe.stop();
  });
});

describe('conversionRegistered', () => {
  it('streams each conversion of the campaign with its position, and no impressions', async () => {
    const campaignId = await campaign(harness, { productId: 'prod-sub' });
    const probe = await subscribeLive(harness, client(), CONVERSION_SUBSCRIPTION, { campaignId });
    await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[0]! }]);
    const first = (await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '2.00'))).registerConversion;
    const second = (await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '3.10'))).registerConversion;
    const items = await probe.waitForItems(2);
    expect(items).toEqual([
      { ...first.conversion, campaign: { id: campaignId } },
      { ...second.conversion, campaign: { id: campaignId } },
    ]);
    expect(items[0]).toMatchObject({ productId: 'prod-sub', value: { amount: '2.00', currency: 'EUR' }, position: first.events[0].position });
    // A replayed conversion appends nothing and streams nothing.
    await ok(harness, REGISTER_CONVERSION, {
      input: { campaignId, id: first.conversion.id, influencerId: influencerIds[0], value: { amount: '2.00', currency: 'EUR' } },
    });
    expect(await beforeSentinelConversion(probe, campaignId)).toHaveLength(2);
    probe.stop();
  });

  it('resumes after a position with exactly the conversions that followed it, then goes live', async () => {
    const campaignId = await campaign(harness);
    const registered: Array<{ id: string; position: string }> = [];
    for (let index = 0; index < 5; index += 1) {
      const payload = (await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, `${index}.00`))).registerConversion;
      registered.push(payload.conversion);
      await impressions(harness, campaignId, [{ id: uid('imp'), influencerId: influencerIds[1]! }]);
    }
    const probe = new SubscriptionProbe<{ id: string; position: string }>(client(), CONVERSION_SUBSCRIPTION, { campaignId, after: registered[1]!.position });
    const replayed = await probe.waitForItems(3);
    expect(replayed.map((item) => item.id)).toEqual(registered.slice(2).map((item) => item.id));
    expect(replayed.map((item) => item.position)).toEqual(registered.slice(2).map((item) => item.position));
    const live = (await ok(harness, REGISTER_CONVERSION, conversionInput(campaignId, '9.00'))).registerConversion;
    const all = await probe.waitForItems(4);
    expect(all[3]!.id).toBe(live.conversion.id);
    expect(await beforeSentinelConversion(probe, campaignId)).toHaveLength(4);
    probe.stop();
  });

  it('an unknown resume position is BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    const probe = new SubscriptionProbe(client(), CONVERSION_SUBSCRIPTION, { campaignId, after: '999999999' });
    await waitFor(() => probe.errors.length > 0, 'the error');
    expect(probe.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
