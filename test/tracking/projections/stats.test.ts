import { describe, expect, it } from 'vitest';
import { parseAmountMinor, type ConversionRegistered, type ImpressionRegistered, type TrackingEvent } from '../../../subgraphs/tracking/domain/index.js';
import {
  applyToInfluencerStats,
  applyToStats,
  conversionRate,
  emptyCampaignStats,
  emptyInfluencerStats,
  hourBucket,
  recountCampaignStats,
  recountInfluencerStats,
  revenueAsMoney,
} from '../../../subgraphs/tracking/projections/stats/index.js';

const impression = (impressionId: string, influencerId = 'i1', occurredAt = '2024-03-01T12:15:00.000Z', campaignId = 'c1'): ImpressionRegistered => ({
  type: 'ImpressionRegistered',
  data: { impressionId, campaignId, influencerId, occurredAt },
});

const conversion = (
  conversionId: string,
  amount: string,
  currency = 'EUR',
  influencerId = 'i1',
  occurredAt = '2024-03-01T13:59:59.999Z',
  campaignId = 'c1',
): ConversionRegistered => ({
  type: 'ConversionRegistered',
  data: {
    schemaVersion: 2,
    conversionId,
    campaignId,
    influencerId,
    value: { amount, currency },
    valueMinor: parseAmountMinor(amount),
    impressionId: null,
    productId: null,
    storeId: null,
    quantity: null,
    occurredAt,
  },
});

const campaignStatsOf = (...events: TrackingEvent[]) => events.reduce(applyToStats, emptyCampaignStats('c1'));

describe('campaign stats projection', () => {
  it('starts empty', () => {
    expect(emptyCampaignStats('c1')).toEqual({
      campaignId: 'c1',
      impressions: 0,
      conversions: 0,
      revenue: {},
      byInfluencer: {},
      hourly: {},
    });
    expect(conversionRate(emptyCampaignStats('c1'))).toBe(0);
  });

  it('counts impressions and conversions in totals, per influencer and per hour', () => {
    const stats = campaignStatsOf(
      impression('m1'),
      impression('m2', 'i2'),
      conversion('v1', '10.10'),
      conversion('v2', '0.20', 'USD', 'i2', '2024-03-01T12:00:00.000Z'),
    );
    expect(stats).toEqual({
      campaignId: 'c1',
      impressions: 2,
      conversions: 2,
      revenue: { EUR: 1010, USD: 20 },
      byInfluencer: {
        i1: { impressions: 1, conversions: 1, revenue: { EUR: 1010 } },
        i2: { impressions: 1, conversions: 1, revenue: { USD: 20 } },
      },
      hourly: {
        '2024-03-01T12:00:00.000Z': { impressions: 2, conversions: 1, revenue: { USD: 20 } },
        '2024-03-01T13:00:00.000Z': { impressions: 0, conversions: 1, revenue: { EUR: 1010 } },
      },
    });
  });

  it('adds revenue exactly in minor units (0.10 + 0.20 = 0.30)', () => {
    const stats = campaignStatsOf(conversion('v1', '0.10'), conversion('v2', '0.20'));
    expect(revenueAsMoney(stats.revenue)).toEqual([{ amount: '0.30', currency: 'EUR' }]);
  });

  it('reads revenue as money sorted by currency', () => {
    expect(revenueAsMoney({ USD: 5, EUR: 123456 })).toEqual([
      { amount: '1234.56', currency: 'EUR' },
      { amount: '0.05', currency: 'USD' },
    ]);
  });

  it('computes the conversion rate at read time, rounded to 6 decimals', () => {
    expect(conversionRate({ impressions: 3, conversions: 1 })).toBe(0.333333);
    expect(conversionRate({ impressions: 3, conversions: 2 })).toBe(0.666667);
    expect(conversionRate({ impressions: 4, conversions: 1 })).toBe(0.25);
    expect(conversionRate({ impressions: 0, conversions: 5 })).toBe(0);
    const stats = campaignStatsOf(impression('m1'), impression('m2'), impression('m3'), conversion('v1', '1'));
    expect(conversionRate(stats)).toBe(0.333333);
    expect(conversionRate(stats.byInfluencer.i1 ?? { impressions: 0, conversions: 0 })).toBe(0.333333);
  });

  it('updates the stats in place and returns them', () => {
    const stats = emptyCampaignStats('c1');
    expect(applyToStats(stats, impression('m1'))).toBe(stats);
    expect(stats.impressions).toBe(1);
  });

  it('ignores other campaigns and non-activity events', () => {
    const stats = campaignStatsOf(
      impression('m1', 'i1', '2024-03-01T12:00:00.000Z', 'c2'),
      { type: 'CampaignPaused', data: { campaignId: 'c1', pausedAt: '2024-03-01T12:00:00.000Z' } },
      { type: 'InfluencerRegistered', data: { influencerId: 'i1', handle: 'h', platform: 'X' } },
    );
    expect(stats).toEqual(emptyCampaignStats('c1'));
  });

  it('keys hourly buckets by the UTC hour of occurredAt', () => {
    expect(hourBucket('2024-03-01T12:59:59.999Z')).toBe('2024-03-01T12:00:00.000Z');
    expect(hourBucket('2024-03-01T00:30:00+02:00')).toBe('2024-02-29T22:00:00.000Z');
    expect(() => hourBucket('2024-02-30T10:00:00.000Z')).toThrow(RangeError);
    expect(() => hourBucket('not a time')).toThrow(RangeError);
  });

  it('stays plain JSON that survives a round trip and further updates', () => {
    const stored = JSON.parse(JSON.stringify(campaignStatsOf(impression('m1'), conversion('v1', '2.50')))) as ReturnType<typeof emptyCampaignStats>;
    applyToStats(stored, conversion('v2', '2.50'));
    expect(stored).toEqual(campaignStatsOf(impression('m1'), conversion('v1', '2.50'), conversion('v2', '2.50')));
  });

  it('treats ids like __proto__ and constructor as ordinary influencer keys', () => {
    const stats = campaignStatsOf(impression('m1', '__proto__'), impression('m2', 'constructor'), impression('m3', '__proto__'));
    expect(Object.keys(stats.byInfluencer).sort()).toEqual(['__proto__', 'constructor']);
    expect(stats.byInfluencer['__proto__']?.impressions).toBe(2);
    expect(Object.getPrototypeOf(stats.byInfluencer)).toBe(Object.prototype);
    const recount = recountCampaignStats([impression('m1', '__proto__'), impression('m2', 'constructor'), impression('m3', '__proto__')]).c1;
    expect(JSON.stringify(stats)).toBe(JSON.stringify(recount));
  });
});

describe('influencer stats projection', () => {
  it('counts an influencer across campaigns with a per-campaign breakdown', () => {
    const events: TrackingEvent[] = [
      impression('m1', 'i1', '2024-03-01T12:00:00.000Z', 'c1'),
      impression('m2', 'i1', '2024-03-01T12:10:00.000Z', 'c2'),
      impression('m3', 'i2', '2024-03-01T12:10:00.000Z', 'c2'),
      conversion('v1', '3.00', 'GBP', 'i1', '2024-03-01T14:00:00.000Z', 'c2'),
    ];
    const stats = events.reduce(applyToInfluencerStats, emptyInfluencerStats('i1'));
    expect(stats).toEqual({
      influencerId: 'i1',
      impressions: 2,
      conversions: 1,
      revenue: { GBP: 300 },
      byCampaign: {
        c1: { impressions: 1, conversions: 0, revenue: {} },
        c2: { impressions: 1, conversions: 1, revenue: { GBP: 300 } },
      },
      hourly: {
        '2024-03-01T12:00:00.000Z': { impressions: 2, conversions: 0, revenue: {} },
        '2024-03-01T14:00:00.000Z': { impressions: 0, conversions: 1, revenue: { GBP: 300 } },
      },
    });
    expect(recountInfluencerStats(events).i1).toEqual(stats);
  });

  it('recounts nothing from events without activity', () => {
    expect(recountCampaignStats([])).toEqual({});
    const ended: TrackingEvent = { type: 'CampaignEnded', data: { campaignId: 'c1', endedAt: '2024-03-01T00:00:00Z' } };
    expect(recountInfluencerStats([ended])).toEqual({});
  });
});
