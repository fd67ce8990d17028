import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { MAX_IMPRESSION_BATCH, campaignDecider, decideImpressions, type ImpressionInput } from '../../../subgraphs/tracking/domain/index.js';
import { C, T0, T_END, activeCampaign, at, campaignAfter, createCampaign, expectRejection, influencers, lifecycle } from './helpers.js';

const impression = (impressionId: string, overrides: Partial<ImpressionInput> = {}): ImpressionInput => ({
  campaignId: C,
  impressionId,
  influencerId: 'i1',
  occurredAt: at(30),
  now: at(40),
  ...overrides,
});

const known = influencers('i1', 'i2');
const decideOn = (commands: ImpressionInput[], campaign = activeCampaign()) => decideImpressions(campaign, known, commands);

describe('decideImpressions', () => {
  it('registers each impression of a batch with normalised occurredAt', () => {
    const events = decideOn([impression('m1'), impression('m2', { influencerId: 'i2', occurredAt: '2024-03-01T14:00:30+02:00' })]);
    expect(events).toEqual([
      {
        type: 'ImpressionRegistered',
        data: { impressionId: 'm1', campaignId: C, influencerId: 'i1', occurredAt: at(30) },
      },
      {
        type: 'ImpressionRegistered',
        data: { impressionId: 'm2', campaignId: C, influencerId: 'i2', occurredAt: at(30) },
      },
    ]);
  });

  it('keeps the first of repeated impression ids inside a batch', () => {
    const events = decideOn([impression('m1'), impression('m2'), impression('m1', { influencerId: 'i2' }), impression('m2', { occurredAt: 'not a date' })]);
    expect(events.map((event) => [event.data.impressionId, event.data.influencerId])).toEqual([
      ['m1', 'i1'],
      ['m2', 'i1'],
    ]);
  });

  it('yields nothing for an empty batch', () => {
    expect(decideOn([])).toEqual([]);
  });

  it(`accepts ${MAX_IMPRESSION_BATCH} impressions and rejects one more`, () => {
    const batch = Array.from({ length: MAX_IMPRESSION_BATCH }, (_, i) => impression(`m${i}`));
    expect(decideOn(batch)).toHaveLength(MAX_IMPRESSION_BATCH);
    expectRejection(() => decideOn([...batch, impression('extra')]), ErrorCode.BAD_USER_INPUT, {
      message: 'a batch may hold at most 10000 impressions, got 10001',
      extensions: { field: 'impressions' },
    });
  });

  it('counts duplicates towards the batch limit', () => {
    const batch = Array.from({ length: MAX_IMPRESSION_BATCH + 1 }, () => impression('same'));
    expectRejection(() => decideOn(batch), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'impressions' } });
  });

  it('reports a missing campaign as NOT_FOUND', () => {
    expectRejection(() => decideOn([impression('m1')], campaignDecider.initialState()), ErrorCode.NOT_FOUND, {
      message: 'campaign c1 was not found',
    });
  });

  it('rejects impressions on a PAUSED campaign', () => {
    const paused = campaignAfter(createCampaign(), lifecycle.pause());
    expectRejection(() => decideOn([impression('m1')], paused), ErrorCode.BAD_USER_INPUT, {
      message: 'campaign c1 is PAUSED; activity is accepted only while it is ACTIVE',
      extensions: { field: 'impressions[0].campaignId', status: 'PAUSED' },
    });
  });

  it('rejects impressions on an ENDED campaign', () => {
    const ended = campaignAfter(createCampaign(), lifecycle.end());
    expectRejection(() => decideOn([impression('m1')], ended), ErrorCode.BAD_USER_INPUT, { message: /is ENDED/ });
  });

  it('accepts impressions again once a paused campaign resumes', () => {
    const resumed = campaignAfter(createCampaign(), lifecycle.pause(), lifecycle.resume());
    expect(decideOn([impression('m1')], resumed)).toHaveLength(1);
  });

  it('rejects an impression before the campaign starts', () => {
    expectRejection(() => decideOn([impression('m1'), impression('m2', { occurredAt: at(-1) })]), ErrorCode.BAD_USER_INPUT, {
      message: `impressions[1].occurredAt ${at(-1)} is before campaign c1 starts (${T0})`,
      extensions: { field: 'impressions[1].occurredAt' },
    });
  });

  it('accepts the start instant and rejects the end instant ([startsAt, endsAt))', () => {
    expect(decideOn([impression('m1', { occurredAt: T0 })])).toHaveLength(1);
    const lastMs = new Date(Date.parse(T_END) - 1).toISOString();
    expect(decideOn([impression('m1', { occurredAt: lastMs, now: T_END })])).toHaveLength(1);
    expectRejection(() => decideOn([impression('m1', { occurredAt: T_END, now: T_END })]), ErrorCode.BAD_USER_INPUT, {
      message: `impressions[0].occurredAt ${T_END} is not before campaign c1 ends (${T_END})`,
    });
  });

  it('accepts any time after the start for a campaign without an end', () => {
    const open = activeCampaign({ endsAt: null });
    const later = '2030-01-01T00:00:00.000Z';
    expect(decideOn([impression('m1', { occurredAt: later, now: later })], open)).toHaveLength(1);
  });

  it('rejects an impression from the future beyond the clock-skew allowance', () => {
    expect(decideOn([impression('m1', { occurredAt: at(300), now: at(0) })])).toHaveLength(1);
    expectRejection(() => decideOn([impression('m1', { occurredAt: at(301), now: at(0) })]), ErrorCode.BAD_USER_INPUT, {
      message: /is in the future/,
    });
  });

  it('reports an unknown influencer as NOT_FOUND', () => {
    expectRejection(() => decideOn([impression('m1'), impression('m2', { influencerId: 'ghost' })]), ErrorCode.NOT_FOUND, {
      message: 'influencer ghost was not found',
      extensions: { id: 'ghost' },
    });
  });

  it('asks the influencer lookup once per influencer of a batch', () => {
    const asked: string[] = [];
    const lookup = (id: string): boolean => (asked.push(id), true);
    decideImpressions(activeCampaign(), lookup, [impression('m1'), impression('m2'), impression('m3', { influencerId: 'i2' })]);
    expect(asked).toEqual(['i1', 'i2']);
  });

  it('rejects an impression naming another campaign', () => {
    expectRejection(() => decideOn([impression('m1', { campaignId: 'c2' })]), ErrorCode.BAD_USER_INPUT, {
      message: 'impressions[0].campaignId c2 does not match campaign c1',
    });
  });

  it('rejects malformed impression ids and timestamps with the item index in the field', () => {
    for (const [overrides, field] of [
      [{ impressionId: '' }, 'impressions[0].impressionId'],
      [{ impressionId: 'x'.repeat(101) }, 'impressions[0].impressionId'],
      [{ influencerId: '' }, 'impressions[0].influencerId'],
      [{ occurredAt: '2024-03-01 12:00' }, 'impressions[0].occurredAt'],
      [{ now: '' }, 'impressions[0].now'],
    ] as const) {
      expectRejection(() => decideOn([impression('m1', overrides)]), ErrorCode.BAD_USER_INPUT, { extensions: { field } });
    }
  });
});
