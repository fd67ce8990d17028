import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError } from '../../../subgraphs/shared/errors/codes.js';
import {
  campaignDecider,
  decideConversion,
  decideImpressions,
  formatMinor,
  type CampaignCommand,
  type CampaignState,
  type ImpressionInput,
  type TrackingEvent,
} from '../../../subgraphs/tracking/domain/index.js';
import {
  applyToInfluencerStats,
  applyToStats,
  emptyCampaignStats,
  emptyInfluencerStats,
  recountCampaignStats,
  recountInfluencerStats,
  type CampaignStats,
  type InfluencerStats,
} from '../../../subgraphs/tracking/projections/stats/index.js';

/** mulberry32: a small seeded PRNG, so every run replays the same events. */
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

const TARGET_EVENTS = 100_000;
const DAY_MS = 86_400_000;
const INFLUENCERS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', '__proto__'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'MXN'];

/** Campaign states: three ACTIVE ones with different windows and one PAUSED that rejects everything. */
function campaigns(): Map<string, CampaignState> {
  const specs: Array<[string, string, string | null, CampaignCommand[]]> = [
    ['c1', '2024-03-01T00:00:00.000Z', '2024-03-08T00:00:00.000Z', []],
    ['c2', '2024-03-03T06:30:00.000Z', null, []],
    ['c3', '2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z', []],
    ['c4', '2024-03-01T00:00:00.000Z', null, [{ type: 'PauseCampaign', campaignId: 'c4', now: '2024-03-01T01:00:00Z' }]],
  ];
  return new Map(
    specs.map(([campaignId, startsAt, endsAt, later]) => {
      let state = campaignDecider.initialState();
      for (const command of [{ type: 'CreateCampaign', campaignId, name: campaignId, startsAt, endsAt } as const, ...later]) {
        state = foldEvents(campaignDecider, campaignDecider.decide(command, state), state);
      }
      return [campaignId, state];
    }),
  );
}

/** Drives the deciders with random commands until TARGET_EVENTS are accepted. */
function simulate(seed: number) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const states = campaigns();
  const campaignIds = [...states.keys()];
  const influencerExists = (id: string): boolean => INFLUENCERS.includes(id);
  const recorded = new Map<string, { campaignId: string; influencerId: string }>();
  const recordedIds: string[] = [];
  const accepted: TrackingEvent[] = [];
  const tally = { duplicatesInBatch: 0, alreadyRecorded: 0, rejected: new Map<string, number>() };
  let nextId = 0;

  // Mostly inside the campaign window; sometimes a little before or after it.
  const occurredAt = (state: CampaignState): string => {
    const start = state.created ? Date.parse(state.startsAt) : 0;
    const end = state.created && state.endsAt !== null ? Date.parse(state.endsAt) : start + 10 * DAY_MS;
    const ms = random() < 0.002 ? (random() < 0.5 ? start - 1 : end) : start + Math.floor(random() * (end - start));
    return new Date(ms).toISOString();
  };
  const reject = (error: unknown): void => {
    if (!(error instanceof DomainError)) throw error;
    tally.rejected.set(error.code, (tally.rejected.get(error.code) ?? 0) + 1);
  };

  while (accepted.length < TARGET_EVENTS) {
    const campaignId = pick(campaignIds);
    const state = states.get(campaignId) ?? campaignDecider.initialState();
    if (random() < 0.3) {
      const batch: ImpressionInput[] = [];
      for (let size = 1 + Math.floor(random() * 60); batch.length < size; ) {
        const roll = random();
        let impressionId = `m${nextId++}`;
        if (roll < 0.1 && batch.length > 0) impressionId = pick(batch).impressionId;
        else if (roll < 0.12 && recordedIds.length > 0) impressionId = pick(recordedIds);
        const at = occurredAt(state);
        const influencerId = random() < 0.001 ? 'ghost' : pick(INFLUENCERS);
        batch.push({ campaignId, impressionId, influencerId, occurredAt: at, now: at });
      }
      // Idempotency across batches is the application's: it skips ids already recorded.
      const fresh = batch.filter((command) => !recorded.has(command.impressionId));
      tally.alreadyRecorded += batch.length - fresh.length;
      try {
        const events = decideImpressions(state, influencerExists, fresh);
        tally.duplicatesInBatch += fresh.length - events.length;
        for (const event of events) {
          recorded.set(event.data.impressionId, event.data);
          recordedIds.push(event.data.impressionId);
          accepted.push(event);
        }
      } catch (error) {
        reject(error);
      }
    } else {
      const impression = random() < 0.5 && recordedIds.length > 0 ? pick(recordedIds) : null;
      const owner = impression === null ? undefined : recorded.get(impression);
      const sameCampaign = owner?.campaignId === campaignId || random() < 0.02;
      const conversionId = `v${nextId++}`;
      const minor = Math.floor(random() * 50_000);
      const amount = minor % 100 === 0 && random() < 0.5 ? String(minor / 100) : formatMinor(minor);
      const at = occurredAt(state);
      try {
        const event = decideConversion(state, influencerExists, (id) => recorded.get(id), {
          campaignId,
          conversionId,
          influencerId: owner && sameCampaign ? owner.influencerId : pick(INFLUENCERS),
          value: { amount, currency: pick(CURRENCIES) },
          impressionId: sameCampaign ? impression : null,
          quantity: 1 + Math.floor(random() * 3),
          occurredAt: at,
          now: at,
        });
        accepted.push(event);
      } catch (error) {
        reject(error);
      }
    }
  }
  return { accepted, tally };
}

/** Applies events one by one, as the live projection does, persisting (JSON) every 10,000 events. */
function incrementally(events: readonly TrackingEvent[]) {
  let byCampaign = new Map<string, CampaignStats>();
  let byInfluencer = new Map<string, InfluencerStats>();
  const persisted = <T>(map: Map<string, T>): Map<string, T> =>
    new Map(Object.entries(JSON.parse(JSON.stringify(Object.fromEntries(map))) as Record<string, T>));
  events.forEach((event, index) => {
    if (event.type !== 'ImpressionRegistered' && event.type !== 'ConversionRegistered') return;
    const { campaignId, influencerId } = event.data;
    byCampaign.set(campaignId, applyToStats(byCampaign.get(campaignId) ?? emptyCampaignStats(campaignId), event));
    byInfluencer.set(
      influencerId,
      applyToInfluencerStats(byInfluencer.get(influencerId) ?? emptyInfluencerStats(influencerId), event),
    );
    if (index % 10_000 === 0) {
      byCampaign = persisted(byCampaign);
      byInfluencer = persisted(byInfluencer);
    }
  });
  return { byCampaign: Object.fromEntries(byCampaign), byInfluencer: Object.fromEntries(byInfluencer) };
}

describe('stats projection over 100,000 random events', () => {
  const { accepted, tally } = simulate(20_240_301);
  const live = incrementally(accepted);

  it('produces the intended mix of accepted, deduplicated and rejected commands', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(TARGET_EVENTS);
    expect(accepted.filter((event) => event.type === 'ConversionRegistered').length).toBeGreaterThan(3_000);
    expect(tally.duplicatesInBatch).toBeGreaterThan(1_000);
    expect(tally.alreadyRecorded).toBeGreaterThan(100);
    expect(tally.rejected.get('BAD_USER_INPUT')).toBeGreaterThan(100);
    expect(tally.rejected.get('NOT_FOUND')).toBeGreaterThan(0);
    const impressionIds = accepted.flatMap((event) => (event.type === 'ImpressionRegistered' ? [event.data.impressionId] : []));
    expect(new Set(impressionIds).size).toBe(impressionIds.length);
  });

  it('matches a from-scratch recount per campaign', () => {
    const recount = recountCampaignStats(accepted);
    expect(Object.keys(live.byCampaign).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(live.byCampaign).toEqual(recount);
    expect(JSON.parse(JSON.stringify(live.byCampaign))).toEqual(JSON.parse(JSON.stringify(recount)));
  });

  it('matches a from-scratch recount per influencer', () => {
    const recount = recountInfluencerStats(accepted);
    expect(Object.keys(live.byInfluencer).sort()).toEqual([...INFLUENCERS].sort());
    expect(live.byInfluencer).toEqual(recount);
  });

  it('keeps totals, breakdowns and hourly buckets consistent with each other', () => {
    const impressions = accepted.filter((event) => event.type === 'ImpressionRegistered').length;
    const stats = Object.values(live.byCampaign);
    expect(stats.reduce((sum, campaign) => sum + campaign.impressions, 0)).toBe(impressions);
    for (const campaign of stats) {
      for (const part of [Object.values(campaign.byInfluencer), Object.values(campaign.hourly)]) {
        expect(part.reduce((sum, counters) => sum + counters.impressions, 0)).toBe(campaign.impressions);
        expect(part.reduce((sum, counters) => sum + counters.conversions, 0)).toBe(campaign.conversions);
        for (const currency of Object.keys(campaign.revenue)) {
          expect(part.reduce((sum, counters) => sum + (counters.revenue[currency] ?? 0), 0)).toBe(campaign.revenue[currency]);
        }
      }
    }
  });
});
