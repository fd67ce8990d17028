import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { DomainError } from '../../../subgraphs/shared/errors/codes.js';
import {
  campaignDecider,
  currencyDigits,
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
import { PROPERTY_SEED, checkProperty } from '../../support/properties.js';

const DAY_MS = 86_400_000;
const INFLUENCERS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', '__proto__', 'constructor'];
/** Currencies of every minor-unit exponent ISO 4217 has: 2, 0 (yen), 3 (dinar fils), 4 (UF). */
const CURRENCIES = ['EUR', 'USD', 'JPY', 'KWD', 'CLF'];

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

/** When an activity happened: mostly inside its campaign's window, sometimes just outside it. */
type TimeChoice = { readonly kind: 'inside'; readonly offset: number } | { readonly kind: 'beforeStart' } | { readonly kind: 'atEnd' };

/** An impression id: a fresh one, one repeated inside the batch, or one an earlier batch recorded. */
type IdChoice = { readonly kind: 'fresh' } | { readonly kind: 'inBatch'; readonly index: number } | { readonly kind: 'recorded'; readonly index: number };

type ActivityStep =
  | {
      readonly kind: 'impressions';
      readonly campaign: number;
      readonly entries: ReadonlyArray<{ readonly id: IdChoice; readonly influencer: number; readonly at: TimeChoice }>;
    }
  | {
      readonly kind: 'conversion';
      readonly campaign: number;
      /** The recorded impression it follows (an index into them), if any. */
      readonly impression: number | null;
      /** Whether it claims the impression's campaign and influencer (else it may contradict them). */
      readonly matching: boolean;
      readonly influencer: number;
      readonly minor: number;
      readonly currency: number;
      /** Whether the amount is written without trailing zeros ("5.5" for 5.50). */
      readonly short: boolean;
      readonly quantity: number;
      readonly at: TimeChoice;
    }
  /** The live projection stores its rows (a JSON round trip) and reads them back. */
  | { readonly kind: 'persist' };

const timeChoice: fc.Arbitrary<TimeChoice> = fc.oneof(
  { weight: 198, arbitrary: fc.nat().map((offset) => ({ kind: 'inside', offset }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'beforeStart' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'atEnd' } as const) },
);

/** An influencer index: one of INFLUENCERS, or (one in two hundred) an unregistered one. */
const influencerIndex = fc.oneof({ weight: 199, arbitrary: fc.nat({ max: INFLUENCERS.length - 1 }) }, { weight: 1, arbitrary: fc.constant(-1) });

const activityStep: fc.Arbitrary<ActivityStep> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('impressions' as const),
      campaign: fc.nat({ max: 3 }),
      entries: fc.array(
        fc.record({
          id: fc.oneof(
            { weight: 88, arbitrary: fc.constant({ kind: 'fresh' } as const) },
            { weight: 10, arbitrary: fc.nat().map((index) => ({ kind: 'inBatch', index }) as const) },
            { weight: 2, arbitrary: fc.nat().map((index) => ({ kind: 'recorded', index }) as const) },
          ),
          influencer: influencerIndex,
          at: timeChoice,
        }),
        { minLength: 1, maxLength: 40, size: 'max' },
      ),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('conversion' as const),
      campaign: fc.nat({ max: 3 }),
      impression: fc.option(fc.nat(), { freq: 2 }),
      matching: fc.oneof({ weight: 49, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      influencer: influencerIndex,
      minor: fc.nat({ max: 5_000_000 }),
      currency: fc.nat({ max: CURRENCIES.length - 1 }),
      short: fc.boolean(),
      quantity: fc.integer({ min: 1, max: 3 }),
      at: timeChoice,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'persist' } as const) },
);

const at = <T>(items: readonly T[], index: number): T | undefined => items[index % Math.max(1, items.length)];

/** What a run did, by kind: proof that the generator reaches every path. */
interface Tally {
  duplicatesInBatch: number;
  alreadyRecorded: number;
  conversions: number;
  rejected: Map<string, number>;
}

/**
 * Drives the deciders with the steps, as the application does (it skips impression ids already
 * recorded), and returns the accepted events with the points where the live projection persisted.
 */
function simulate(steps: readonly ActivityStep[], tally: Tally) {
  const states = campaigns();
  const campaignIds = [...states.keys()];
  const influencerOf = (index: number): string => INFLUENCERS[index] ?? 'ghost';
  const influencerExists = (id: string): boolean => INFLUENCERS.includes(id);
  const recorded = new Map<string, { campaignId: string; influencerId: string }>();
  const recordedIds: string[] = [];
  const accepted: TrackingEvent[] = [];
  const persistAfter = new Set<number>();
  let nextId = 0;

  const occurredAt = (state: CampaignState, choice: TimeChoice): string => {
    const start = state.created ? Date.parse(state.startsAt) : 0;
    const end = state.created && state.endsAt !== null ? Date.parse(state.endsAt) : start + 10 * DAY_MS;
    const ms = choice.kind === 'beforeStart' ? start - 1 : choice.kind === 'atEnd' ? end : start + (choice.offset % (end - start));
    return new Date(ms).toISOString();
  };
  const reject = (error: unknown): void => {
    if (!(error instanceof DomainError)) throw error;
    tally.rejected.set(error.code, (tally.rejected.get(error.code) ?? 0) + 1);
  };

  for (const step of steps) {
    if (step.kind === 'persist') {
      persistAfter.add(accepted.length);
      continue;
    }
    const campaignId = campaignIds[step.campaign]!;
    const state = states.get(campaignId)!;
    if (step.kind === 'impressions') {
      const batch: ImpressionInput[] = [];
      for (const entry of step.entries) {
        let impressionId = `m${nextId++}`;
        if (entry.id.kind === 'inBatch') impressionId = at(batch, entry.id.index)?.impressionId ?? impressionId;
        if (entry.id.kind === 'recorded') impressionId = at(recordedIds, entry.id.index) ?? impressionId;
        const when = occurredAt(state, entry.at);
        batch.push({ campaignId, impressionId, influencerId: influencerOf(entry.influencer), occurredAt: when, now: when });
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
      continue;
    }
    const impression = step.impression === null ? null : (at(recordedIds, step.impression) ?? null);
    const owner = impression === null ? undefined : recorded.get(impression);
    const currency = CURRENCIES[step.currency]!;
    const canonical = formatMinor(step.minor, currencyDigits(currency));
    const amount = step.short && canonical.includes('.') ? canonical.replace(/\.?0+$/, '') : canonical;
    const when = occurredAt(state, step.at);
    // A conversion names its impression's campaign and influencer, except the few that contradict them.
    const sameCampaign = owner?.campaignId === campaignId || !step.matching;
    try {
      const event = decideConversion(state, influencerExists, (id) => recorded.get(id), {
        campaignId,
        conversionId: `v${nextId++}`,
        influencerId: owner && sameCampaign ? owner.influencerId : influencerOf(step.influencer),
        value: { amount, currency },
        impressionId: sameCampaign ? impression : null,
        quantity: step.quantity,
        occurredAt: when,
        now: when,
      });
      tally.conversions += 1;
      accepted.push(event);
    } catch (error) {
      reject(error);
    }
  }
  return { accepted, persistAfter };
}

/** Applies events one by one, as the live projection does, storing its rows (JSON) where the steps said. */
function incrementally(events: readonly TrackingEvent[], persistAfter: ReadonlySet<number>) {
  let byCampaign = new Map<string, CampaignStats>();
  let byInfluencer = new Map<string, InfluencerStats>();
  const persisted = <T>(map: Map<string, T>): Map<string, T> =>
    new Map(Object.entries(JSON.parse(JSON.stringify(Object.fromEntries(map))) as Record<string, T>));
  events.forEach((event, index) => {
    if (persistAfter.has(index)) {
      byCampaign = persisted(byCampaign);
      byInfluencer = persisted(byInfluencer);
    }
    if (event.type !== 'ImpressionRegistered' && event.type !== 'ConversionRegistered') return;
    const { campaignId, influencerId } = event.data;
    byCampaign.set(campaignId, applyToStats(byCampaign.get(campaignId) ?? emptyCampaignStats(campaignId), event));
    byInfluencer.set(influencerId, applyToInfluencerStats(byInfluencer.get(influencerId) ?? emptyInfluencerStats(influencerId), event));
  });
  return { byCampaign: Object.fromEntries(byCampaign), byInfluencer: Object.fromEntries(byInfluencer) };
}

const emptyTally = (): Tally => ({ duplicatesInBatch: 0, alreadyRecorded: 0, conversions: 0, rejected: new Map() });
const activitySteps = fc.array(activityStep, { maxLength: 60, size: 'max' });

describe('stats projection under random activity', () => {
  it('generates activity with the intended mix of accepted, deduplicated and rejected commands', () => {
    const tally = emptyTally();
    const impressionIds: string[] = [];
    for (const steps of fc.sample(activitySteps, { seed: PROPERTY_SEED, numRuns: 100 })) {
      for (const event of simulate(steps, tally).accepted) {
        if (event.type === 'ImpressionRegistered') impressionIds.push(`${event.data.campaignId}/${event.data.impressionId}`);
      }
    }
    expect(impressionIds.length).toBeGreaterThan(5_000);
    expect(tally.conversions).toBeGreaterThan(1_000);
    expect(tally.duplicatesInBatch).toBeGreaterThan(300);
    expect(tally.alreadyRecorded).toBeGreaterThan(50);
    expect(tally.rejected.get('BAD_USER_INPUT')).toBeGreaterThan(100);
    expect(tally.rejected.get('NOT_FOUND')).toBeGreaterThan(0);
  });

  it('records each impression id once, whatever the repeats inside and across batches', () => {
    checkProperty(
      fc.property(activitySteps, (steps) => {
        const ids = simulate(steps, emptyTally()).accepted.flatMap((event) => (event.type === 'ImpressionRegistered' ? [event.data.impressionId] : []));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 100 },
    );
  });

  it('matches a from-scratch recount per campaign and per influencer, whenever the rows were stored', () => {
    checkProperty(
      fc.property(activitySteps, (steps) => {
        const { accepted, persistAfter } = simulate(steps, emptyTally());
        const live = incrementally(accepted, persistAfter);
        const byCampaign = recountCampaignStats(accepted);
        expect(live.byCampaign).toEqual(byCampaign);
        expect(JSON.parse(JSON.stringify(live.byCampaign))).toEqual(JSON.parse(JSON.stringify(byCampaign)));
        expect(live.byInfluencer).toEqual(recountInfluencerStats(accepted));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps totals, breakdowns and hourly buckets consistent with each other', () => {
    checkProperty(
      fc.property(activitySteps, (steps) => {
        const { accepted, persistAfter } = simulate(steps, emptyTally());
        const live = incrementally(accepted, persistAfter);
        const impressions = accepted.filter((event) => event.type === 'ImpressionRegistered').length;
        const stats = [...Object.values(live.byCampaign), ...Object.values(live.byInfluencer)];
        expect(Object.values(live.byCampaign).reduce((sum, campaign) => sum + campaign.impressions, 0)).toBe(impressions);
        expect(Object.values(live.byInfluencer).reduce((sum, influencer) => sum + influencer.impressions, 0)).toBe(impressions);
        for (const counters of stats) {
          const breakdown = 'byInfluencer' in counters ? counters.byInfluencer : counters.byCampaign;
          for (const part of [Object.values(breakdown), Object.values(counters.hourly)]) {
            expect(part.reduce((sum, entry) => sum + entry.impressions, 0)).toBe(counters.impressions);
            expect(part.reduce((sum, entry) => sum + entry.conversions, 0)).toBe(counters.conversions);
            for (const currency of Object.keys(counters.revenue)) {
              expect(part.reduce((sum, entry) => sum + (entry.revenue[currency] ?? 0), 0)).toBe(counters.revenue[currency]);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
