import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import {
  PAUSE_CAMPAIGN,
  REGISTER_CONVERSION,
  REGISTER_IMPRESSION,
  REGISTER_IMPRESSIONS,
  campaign,
  impressions,
  influencers,
  minutesAgo,
  ok,
  uid,
} from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

let harness: TrackingHarness;
let influencerIds: string[];

beforeAll(async () => {
  harness = await startTrackingHarness();
  influencerIds = await influencers(harness, 3);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await harness.platform.db.sql.query<{ count: string }>(sql, params);
  return Number(row?.count ?? 0);
}

const eventsOf = (campaignId: string) => count(`SELECT count(*)::text AS count FROM events WHERE stream_id = $1`, [`activity-${campaignId}`]);
const impressionRows = (campaignId: string) => count(`SELECT count(*)::text AS count FROM impressions WHERE campaign_id = $1`, [campaignId]);

async function campaignStats(campaignId: string) {
  return (
    await ok(
      harness,
      `query($id: ID!) { campaign(id: $id) { stats { impressions conversions revenue { amount currency } byInfluencer { influencerId impressions } } } }`,
      {
        id: campaignId,
      },
    )
  ).campaign.stats;
}

const entry = (id: string, index = 0) => ({ id, influencerId: influencerIds[index % influencerIds.length]!, occurredAt: minutesAgo(5) });

describe('impressions are idempotent by client id', () => {
  it('a single impression sent twice returns the original and counts once', async () => {
    const campaignId = await campaign(harness);
    const input = { campaignId, id: uid('imp'), influencerId: influencerIds[0], occurredAt: minutesAgo(3) };
    const first = (await ok(harness, REGISTER_IMPRESSION, { input })).registerImpression;
    // Different data under the same id: the original wins, nothing is counted.
    const again = (await ok(harness, REGISTER_IMPRESSION, { input: { ...input, influencerId: influencerIds[1], occurredAt: minutesAgo(1) } }))
      .registerImpression;
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual([]);
    expect(again.impression).toEqual(first.impression);
    expect(again.stats.impressions).toBe(1);
    expect(await eventsOf(campaignId)).toBe(1);
  });

  it('repeated ids inside one batch are counted once; the payload lists each distinct id once', async () => {
    const campaignId = await campaign(harness);
    const ids = [uid('a'), uid('b'), uid('c')];
    const entries = [entry(ids[0]!), entry(ids[1]!, 1), entry(ids[0]!, 2), entry(ids[2]!), entry(ids[1]!)];
    const payload = (await ok(harness, REGISTER_IMPRESSIONS, { input: { campaignId, impressions: entries } })).registerImpressions;
    expect(payload).toMatchObject({ accepted: 3, duplicates: 2, replayed: false });
    expect(payload.impressions.map((impression: { id: string }) => impression.id)).toEqual(ids);
    // The first occurrence wins.
    expect(payload.impressions[0].influencerId).toBe(influencerIds[0]);
    expect(await eventsOf(campaignId)).toBe(3);
    expect((await campaignStats(campaignId)).impressions).toBe(3);
  });

  it('ids recorded by an earlier batch are skipped by the next one, which returns their originals', async () => {
    const campaignId = await campaign(harness);
    const first = Array.from({ length: 20 }, (_, index) => entry(`${campaignId}-${index}`, index));
    await impressions(harness, campaignId, first);
    const second = Array.from({ length: 20 }, (_, index) => entry(`${campaignId}-${index + 10}`, index + 1));
    const payload = (await ok(harness, REGISTER_IMPRESSIONS, { input: { campaignId, impressions: second } })).registerImpressions;
    expect(payload).toMatchObject({ accepted: 10, duplicates: 10, replayed: false });
    expect(payload.events.map((event: { data: { impressionId: string } }) => event.data.impressionId)).toEqual(second.slice(10).map((item) => item.id));
    // Originals keep the influencer the first batch recorded.
    expect(payload.impressions[0]).toMatchObject({ id: `${campaignId}-10`, influencerId: first[10]!.influencerId });
    const again = await impressions(harness, campaignId, second);
    expect(again).toMatchObject({ accepted: 0, duplicates: 20, replayed: true });
    expect(await eventsOf(campaignId)).toBe(30);
    expect(await impressionRows(campaignId)).toBe(30);
    const stats = await campaignStats(campaignId);
    expect(stats.impressions).toBe(30);
    expect(stats.byInfluencer.reduce((sum: number, item: { impressions: number }) => sum + item.impressions, 0)).toBe(30);
  });

  it('concurrent batches with overlapping ids count every id exactly once', async () => {
    const campaignIds = [await campaign(harness), await campaign(harness)];
    const pool = Array.from({ length: 400 }, (_, index) => `shared-${uid('x')}-${index}`);
    // 16 batches of 150 ids drawn from a pool of 400: many overlaps, in different orders, on two campaigns' streams.
    const batches = Array.from({ length: 16 }, (_, batch) => {
      const start = (batch * 37) % pool.length;
      const ids = Array.from({ length: 150 }, (_, index) => pool[(start + index * (batch % 2 === 0 ? 1 : 3)) % pool.length]!);
      return { campaignId: campaignIds[batch % 2]!, entries: ids.map((id, index) => entry(id, index + batch)) };
    });
    const results = await Promise.all(batches.map((batch) => impressions(harness, batch.campaignId, batch.entries)));
    const accepted = results.reduce((sum, result) => sum + result.accepted, 0);
    const distinct = new Set(batches.flatMap((batch) => batch.entries.map((item) => item.id))).size;
    expect(accepted).toBe(distinct);
    const recorded = (await impressionRows(campaignIds[0]!)) + (await impressionRows(campaignIds[1]!));
    expect(recorded).toBe(distinct);
    expect((await eventsOf(campaignIds[0]!)) + (await eventsOf(campaignIds[1]!))).toBe(distinct);
    const counted = (await campaignStats(campaignIds[0]!)).impressions + (await campaignStats(campaignIds[1]!)).impressions;
    expect(counted).toBe(distinct);
    // Each id's single event matches its single row.
    const [mismatch] = await harness.platform.db.sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM impressions i
       WHERE (SELECT count(*) FROM events e WHERE e.type = 'ImpressionRegistered' AND e.data->>'impressionId' = i.id
                AND e.stream_id = 'activity-' || i.campaign_id) <> 1 AND i.id LIKE 'shared-%'`,
    );
    expect(Number(mismatch?.count)).toBe(0);
  });

  it('a pause racing with batches: each batch is wholly recorded before it or rejected after it, and the stats count exactly the recorded ones', async () => {
    const campaignId = await campaign(harness);
    const send = (batch: number) =>
      harness.request(REGISTER_IMPRESSIONS, {
        input: { campaignId, impressions: Array.from({ length: 50 }, (_, index) => entry(`race-${uid('r')}-${batch}-${index}`, index)) },
      });
    const early = Array.from({ length: 6 }, (_, batch) => send(batch));
    const pause = harness.request(PAUSE_CAMPAIGN, { input: { campaignId } });
    const late = Array.from({ length: 6 }, (_, batch) => send(6 + batch));
    const results = await Promise.all([...early, ...late]);
    expect((await pause).errors).toBeUndefined();
    let recorded = 0;
    for (const result of results) {
      if (result.errors) expect(result.errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
      else recorded += (result.data as { registerImpressions: { accepted: number } }).registerImpressions.accepted;
    }
    expect(recorded % 50).toBe(0);
    expect(await eventsOf(campaignId)).toBe(recorded);
    expect((await campaignStats(campaignId)).impressions).toBe(recorded);
    // After the pause, nothing more is recorded.
    expect((await send(99)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await eventsOf(campaignId)).toBe(recorded);
  });

  it('a batch of 10,000 impressions is recorded by one mutation, in one append', async () => {
    const campaignId = await campaign(harness);
    const entries = Array.from({ length: 10_000 }, (_, index) => ({
      id: `${campaignId}-big-${index}`,
      influencerId: influencerIds[index % 3]!,
      occurredAt: new Date(Date.now() - 3_000_000 + index * 100).toISOString(),
    }));
    const started = performance.now();
    const payload = await impressions(harness, campaignId, entries);
    const seconds = (performance.now() - started) / 1000;
    expect(payload).toMatchObject({ accepted: 10_000, duplicates: 0, replayed: false, stats: { impressions: 10_000 } });
    const rows = await harness.platform.db.sql.query<{ transactions: string; positions: string }>(
      `SELECT count(DISTINCT transaction_id)::text AS transactions, (max(position) - min(position) + 1)::text AS positions
       FROM events WHERE stream_id = $1`,
      [`activity-${campaignId}`],
    );
    expect(rows[0]).toEqual({ transactions: '1', positions: '10000' });
    expect(seconds).toBeLessThan(30);
    const again = await impressions(harness, campaignId, entries);
    expect(again).toMatchObject({ accepted: 0, duplicates: 10_000, stats: { impressions: 10_000 } });
  });
});

describe('conversions are idempotent by client id', () => {
  it('a conversion sent again, also concurrently, returns the original and is counted once', async () => {
    const campaignId = await campaign(harness);
    const input = { campaignId, id: uid('conv'), influencerId: influencerIds[0], value: { amount: '12.50', currency: 'EUR' }, occurredAt: minutesAgo(2) };
    const results = await Promise.all(Array.from({ length: 8 }, () => ok(harness, REGISTER_CONVERSION, { input })));
    const payloads = results.map((result) => result.registerConversion);
    expect(payloads.filter((payload) => !payload.replayed)).toHaveLength(1);
    for (const payload of payloads) expect(payload.conversion).toEqual(payloads[0].conversion);
    const again = (await ok(harness, REGISTER_CONVERSION, { input: { ...input, value: { amount: '99.00', currency: 'USD' } } })).registerConversion;
    expect(again).toMatchObject({ replayed: true, events: [], conversion: { value: { amount: '12.50', currency: 'EUR' } } });
    expect(await campaignStats(campaignId)).toMatchObject({ conversions: 1, revenue: [{ amount: '12.50', currency: 'EUR' }] });
    expect(await eventsOf(campaignId)).toBe(1);
  });
});
