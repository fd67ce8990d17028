import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_START, cursorOf, type LogCursor, type RecordedEvent } from '../../../subgraphs/shared/event-store/contract.js';
import { rebuildProjections } from '../../../subgraphs/shared/projections/rebuild.js';
import type { TrackingEvent } from '../../../subgraphs/tracking/domain/index.js';
import { trackingProjections } from '../../../subgraphs/tracking/projections/index.js';
import {
  recountCampaignStats,
  recountInfluencerStats,
  type ActivityCounters,
  type CampaignStats,
  type InfluencerStats,
} from '../../../subgraphs/tracking/projections/stats/index.js';
import { backend } from '../../support/environment.js';
import { seededRandom } from '../../support/seeded-random.js';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import { PAUSE_CAMPAIGN, REGISTER_CONVERSION, REGISTER_IMPRESSIONS_COUNTS, RESUME_CAMPAIGN, campaign, ok } from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

/**
 * Accepted activity events the run aims for (duplicates and rejected commands come on top):
 * 100,000 on PostgreSQL, 30,000 on the slower embedded PGlite; TRACKING_RECOUNT_EVENTS overrides.
 */
const TARGET_EVENTS = Number(process.env.TRACKING_RECOUNT_EVENTS ?? (backend.databaseUrl ? 100_000 : 30_000));
const HOUR_MS = 3_600_000;

let harness: TrackingHarness;

beforeAll(async () => {
  harness = await startTrackingHarness();
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

/**
 * Every activity event of the log, read until at least `expected` are there: the log is read up
 * to its commit-safe horizon, which a transaction elsewhere on the same PostgreSQL server (another
 * test file's database) can hold back for a moment after the last commit. Whatever more than
 * `expected` the log holds is returned too, for the caller's assertion to see.
 */
async function activityEvents(expected: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let cursor: LogCursor = LOG_START;
  const giveUpAt = Date.now() + 30_000;
  for (;;) {
    const page = await harness.platform.store.readAll(cursor, { categories: ['activity'], limit: 10_000 });
    if (page.length === 0) {
      if (events.length >= expected || Date.now() > giveUpAt) return events;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    events.push(...page);
    cursor = cursorOf(page[page.length - 1]!);
  }
}

interface CounterRecord {
  [column: string]: unknown;
  scope: string;
  subject_id: string;
  dimension: string;
  key: string;
  impressions: string;
  conversions: string;
  units: string;
}

/** The stats read models, read back from the tables into the reducer's shape. */
async function statsFromDatabase() {
  const { sql } = harness.platform.db;
  const counters = await sql.query<CounterRecord>('SELECT * FROM tracking_counters');
  const revenue = await sql.query<{ scope: string; subject_id: string; dimension: string; key: string; currency: string; amount_minor: string }>(
    'SELECT * FROM tracking_revenue',
  );
  const entry = (scope: string, subject: string, dimension: string, key: string) => `${scope}|${subject}|${dimension}|${key}`;
  const earned = new Map<string, Record<string, number>>();
  for (const row of revenue) {
    const id = entry(row.scope, row.subject_id, row.dimension, row.key);
    earned.set(id, { ...earned.get(id), [row.currency]: Number(row.amount_minor) });
  }
  const countersOf = (row: CounterRecord): ActivityCounters => ({
    impressions: Number(row.impressions),
    conversions: Number(row.conversions),
    revenue: earned.get(entry(row.scope, row.subject_id, row.dimension, row.key)) ?? {},
  });
  const campaigns: Record<string, CampaignStats> = {};
  const influencers: Record<string, InfluencerStats> = {};
  const products: Record<string, { conversions: number; units: number; revenue: Record<string, number> }> = {};
  const define = <T>(record: Record<string, T>, key: string, value: T) =>
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  for (const row of counters.filter((item) => item.dimension === 'total')) {
    if (row.scope === 'campaign') define(campaigns, row.subject_id, { campaignId: row.subject_id, ...countersOf(row), byInfluencer: {}, hourly: {} });
    if (row.scope === 'influencer') define(influencers, row.subject_id, { influencerId: row.subject_id, ...countersOf(row), byCampaign: {}, hourly: {} });
    if (row.scope === 'product')
      define(products, row.subject_id, { conversions: Number(row.conversions), units: Number(row.units), revenue: countersOf(row).revenue });
  }
  for (const row of counters.filter((item) => item.dimension !== 'total')) {
    if (row.scope === 'campaign') {
      const stats = campaigns[row.subject_id]!;
      define(row.dimension === 'influencer' ? stats.byInfluencer : stats.hourly, row.key, countersOf(row));
    } else if (row.scope === 'influencer') {
      const stats = influencers[row.subject_id]!;
      define(row.dimension === 'campaign' ? stats.byCampaign : stats.hourly, row.key, countersOf(row));
    }
  }
  return { campaigns, influencers, products };
}

describe('stats through the database', () => {
  it(`equal a from-scratch recount after ${TARGET_EVENTS.toLocaleString('en-US')} random events with duplicates, concurrent batches and rejections, and rebuild identically`, async () => {
    // A load generator, not a property: the same commands on every run, from a fixed seed.
    const random = seededRandom(20261124);
    const pick = random.pick;
    const now = Date.now();
    const startsAt = new Date(now - 48 * HOUR_MS).toISOString();
    const influencerIds = ['i1', 'i2', 'i3', 'i4', 'i5', '__proto__', 'constructor'];
    for (const id of influencerIds) {
      await ok(harness, `mutation($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { replayed } }`, {
        input: { id, handle: id, platform: 'TIKTOK' },
      });
    }
    const campaignIds = [
      await campaign(harness, { id: 'rc1', startsAt, productId: 'rp1' }),
      await campaign(harness, { id: 'rc2', startsAt, productId: 'rp2' }),
      await campaign(harness, { id: 'rc3', startsAt }),
      await campaign(harness, { id: 'rc4', startsAt, productId: 'rp1' }),
    ];
    const recorded: string[] = [];
    const tally = { sent: 0, accepted: 0, rejected: 0, conversions: 0 };
    let nextId = 0;
    const occurredAt = () => new Date(now - 1 - Math.floor(random() * 47 * HOUR_MS)).toISOString();
    const batchFor = (campaignId: string) => {
      const size = random() < 0.1 ? 1 : 1 + Math.floor(random() * 2000);
      const entries: Array<{ id: string; influencerId: string; occurredAt: string }> = [];
      while (entries.length < size) {
        const roll = random();
        let id = `m${nextId++}`;
        if (roll < 0.05 && entries.length > 0)
          id = pick(entries).id; // repeated inside the batch
        else if (roll < 0.08 && recorded.length > 0) id = pick(recorded); // recorded by an earlier batch
        entries.push({ id, influencerId: pick(influencerIds), occurredAt: occurredAt() });
      }
      return { campaignId, entries };
    };

    let accepted = 0;
    for (let round = 0; accepted < TARGET_EVENTS; round += 1) {
      // Three concurrent batches, the last two sharing half their ids with the first.
      const campaignId = pick(campaignIds);
      const first = batchFor(campaignId);
      const overlapping = [batchFor(pick(campaignIds)), batchFor(campaignId)].map((batch) => ({
        ...batch,
        entries: [...first.entries.slice(0, Math.floor(first.entries.length / 2)), ...batch.entries],
      }));
      const results = await Promise.all(
        [first, ...overlapping].map((batch) =>
          harness.request(REGISTER_IMPRESSIONS_COUNTS, { input: { campaignId: batch.campaignId, impressions: batch.entries.slice(0, 10_000) } }),
        ),
      );
      for (const [index, result] of results.entries()) {
        const batch = [first, ...overlapping][index]!;
        tally.sent += batch.entries.length;
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        accepted += result.data!.registerImpressions.accepted as number;
        for (const entry of batch.entries) recorded.push(entry.id);
      }
      // A few conversions, some of them repeated, some on a paused campaign (rejected).
      const conversions = 1 + Math.floor(random() * 30);
      const pausedCampaign = round % 3 === 1 ? pick(campaignIds) : undefined;
      if (pausedCampaign) await ok(harness, PAUSE_CAMPAIGN, { input: { campaignId: pausedCampaign } });
      const sends = Array.from({ length: conversions }, () => {
        const conversionId = random() < 0.1 && nextId > 0 ? `v${Math.floor(random() * nextId)}` : `v${nextId++}`;
        const quantity = random() < 0.5 ? 1 + Math.floor(random() * 5) : null;
        const minor = Math.floor(random() * 100_000);
        return {
          campaignId: pick(campaignIds),
          id: conversionId,
          influencerId: pick(influencerIds),
          value: { amount: (minor / 100).toFixed(random() < 0.5 ? 2 : minor % 100 === 0 ? 0 : 2), currency: pick(['EUR', 'USD', 'GBP']) },
          quantity,
          occurredAt: occurredAt(),
        };
      });
      if (pausedCampaign && sends[0]) sends[0] = { ...sends[0], campaignId: pausedCampaign, id: `v${nextId++}` };
      const responses = await Promise.all(sends.map((input) => harness.request(REGISTER_CONVERSION, { input })));
      for (const response of responses) {
        if (response.errors) {
          expect(response.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
          tally.rejected += 1;
        } else if (!response.data!.registerConversion.replayed) {
          accepted += 1;
          tally.conversions += 1;
        }
      }
      if (pausedCampaign) await ok(harness, RESUME_CAMPAIGN, { input: { campaignId: pausedCampaign } });
    }
    tally.accepted = accepted;

    const events = await activityEvents(accepted);
    expect(events).toHaveLength(accepted);
    expect(tally.sent).toBeGreaterThan(accepted - tally.conversions);
    expect(tally.conversions).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);

    // Exactly once: one event per impression row and per conversion row.
    const [rows] = await harness.platform.db.sql.query<{ impressions: string; conversions: string }>(
      'SELECT (SELECT count(*) FROM impressions)::text AS impressions, (SELECT count(*) FROM conversions)::text AS conversions',
    );
    expect(Number(rows!.impressions) + Number(rows!.conversions)).toBe(accepted);

    const domainEvents = events as unknown as TrackingEvent[];
    const stored = await statsFromDatabase();
    expect(stored.campaigns).toEqual(recountCampaignStats(domainEvents));
    expect(stored.influencers).toEqual(recountInfluencerStats(domainEvents));
    const products: Record<string, { conversions: number; units: number; revenue: Record<string, number> }> = {};
    for (const event of events) {
      if (event.type !== 'ConversionRegistered') continue;
      const data = event.data as { productId: string | null; quantity: number | null; value: { currency: string }; valueMinor: number };
      if (data.productId === null) continue;
      const product = (products[data.productId] ??= { conversions: 0, units: 0, revenue: {} });
      product.conversions += 1;
      product.units += data.quantity ?? 0;
      product.revenue[data.value.currency] = (product.revenue[data.value.currency] ?? 0) + data.valueMinor;
    }
    expect(stored.products).toEqual(products);

    // The same projection replayed from the events into empty tables gives the same rows.
    const report = await rebuildProjections(harness.platform.db.sql, trackingProjections, { replace: false });
    expect(report.differences).toEqual({ campaigns: 0, influencers: 0, impressions: 0, conversions: 0, tracking_counters: 0, tracking_revenue: 0 });
    expect(report.equal).toBe(true);
  }, 600_000);
});
