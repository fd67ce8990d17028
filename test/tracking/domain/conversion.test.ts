import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { campaignDecider, decideConversion, type ConversionInput, type ImpressionLookup } from '../../../subgraphs/tracking/domain/index.js';
import { C, T_END, activeCampaign, at, campaignAfter, createCampaign, expectRejection, influencers, lifecycle } from './helpers.js';

const conversion = (overrides: Partial<ConversionInput> = {}): ConversionInput => ({
  campaignId: C,
  conversionId: 'v1',
  influencerId: 'i1',
  value: { amount: '19.9', currency: 'EUR' },
  occurredAt: at(30),
  now: at(40),
  ...overrides,
});

const impressions: ImpressionLookup = (id) =>
  ({
    m1: { campaignId: C, influencerId: 'i1' },
    m2: { campaignId: 'c2', influencerId: 'i1' },
    m3: { campaignId: C, influencerId: 'i2' },
  })[id];

const decideOn = (command: ConversionInput, campaign = activeCampaign()) => decideConversion(campaign, influencers('i1', 'i2'), impressions, command);

const rejectsField = (overrides: Partial<ConversionInput>, field: string): void => {
  expectRejection(() => decideOn(conversion(overrides)), ErrorCode.BAD_USER_INPUT, { extensions: { field } });
};

describe('decideConversion', () => {
  it('registers a conversion with canonical money and null optionals', () => {
    expect(decideOn(conversion())).toEqual({
      type: 'ConversionRegistered',
      data: {
        schemaVersion: 2,
        conversionId: 'v1',
        campaignId: C,
        influencerId: 'i1',
        value: { amount: '19.90', currency: 'EUR' },
        valueMinor: 1990,
        impressionId: null,
        productId: null,
        storeId: null,
        quantity: null,
        occurredAt: at(30),
      },
    });
  });

  it('records the impression, product, store and quantity when given', () => {
    const event = decideOn(conversion({ impressionId: 'm1', productId: 'p1', storeId: 's1', quantity: 3 }));
    expect(event.data).toMatchObject({ impressionId: 'm1', productId: 'p1', storeId: 's1', quantity: 3 });
  });

  it('accepts a zero value', () => {
    expect(decideOn(conversion({ value: { amount: '0', currency: 'USD' } })).data.valueMinor).toBe(0);
  });

  it('rejects a negative value', () => {
    expectRejection(() => decideOn(conversion({ value: { amount: '-5.00', currency: 'EUR' } })), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must not be negative',
      extensions: { field: 'value.amount' },
    });
  });

  it('rejects a value with more than two fraction digits', () => {
    rejectsField({ value: { amount: '1.999', currency: 'EUR' } }, 'value.amount');
  });

  it('rejects a bad currency', () => {
    rejectsField({ value: { amount: '1.00', currency: 'eur' } }, 'value.currency');
    rejectsField({ value: { amount: '1.00', currency: 'EURO' } }, 'value.currency');
  });

  it('rejects a quantity that is not a positive integer', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN]) rejectsField({ quantity }, 'quantity');
  });

  it('reports a missing campaign as NOT_FOUND', () => {
    expectRejection(() => decideOn(conversion(), campaignDecider.initialState()), ErrorCode.NOT_FOUND, {
      message: 'campaign c1 was not found',
    });
  });

  it('rejects conversions on a PAUSED or ENDED campaign', () => {
    const paused = campaignAfter(createCampaign(), lifecycle.pause());
    expectRejection(() => decideOn(conversion(), paused), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'campaignId', status: 'PAUSED' },
    });
    const ended = campaignAfter(createCampaign(), lifecycle.pause(), lifecycle.end());
    expectRejection(() => decideOn(conversion(), ended), ErrorCode.BAD_USER_INPUT, { message: /is ENDED/ });
  });

  it('rejects a conversion outside the campaign dates', () => {
    expectRejection(() => decideOn(conversion({ occurredAt: at(-60) })), ErrorCode.BAD_USER_INPUT, {
      message: /occurredAt .* is before campaign c1 starts/,
      extensions: { field: 'occurredAt' },
    });
    expectRejection(() => decideOn(conversion({ occurredAt: T_END, now: T_END })), ErrorCode.BAD_USER_INPUT, {
      message: /is not before campaign c1 ends/,
    });
  });

  it('reports an unknown influencer as NOT_FOUND', () => {
    expectRejection(() => decideOn(conversion({ influencerId: 'ghost' })), ErrorCode.NOT_FOUND, {
      message: 'influencer ghost was not found',
    });
  });

  it('reports an unknown impression as NOT_FOUND', () => {
    expectRejection(() => decideOn(conversion({ impressionId: 'nope' })), ErrorCode.NOT_FOUND, {
      message: 'impression nope was not found',
    });
  });

  it('rejects an impression of another campaign', () => {
    expectRejection(() => decideOn(conversion({ impressionId: 'm2' })), ErrorCode.BAD_USER_INPUT, {
      message: 'impression m2 belongs to campaign c2, not c1',
      extensions: { field: 'impressionId' },
    });
  });

  it('rejects an impression of another influencer', () => {
    expectRejection(() => decideOn(conversion({ impressionId: 'm3' })), ErrorCode.BAD_USER_INPUT, {
      message: 'impression m3 belongs to influencer i2, not i1',
      extensions: { field: 'impressionId' },
    });
  });

  it('rejects malformed ids', () => {
    rejectsField({ conversionId: '' }, 'conversionId');
    rejectsField({ conversionId: 'v'.repeat(101) }, 'conversionId');
    rejectsField({ storeId: '' }, 'storeId');
  });
});
