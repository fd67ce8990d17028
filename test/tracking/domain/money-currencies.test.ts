import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import {
  ISO_4217_MINOR_UNITS,
  addMoney,
  campaignDecider,
  decideConversion,
  currencyDigits,
  formatMinor,
  minorOf,
  normalizeMoney,
  parseAmountMinor,
  parseMoney,
  toMoney,
} from '../../../subgraphs/tracking/domain/index.js';
import { revenueAsMoney } from '../../../subgraphs/tracking/projections/stats/index.js';
import { C, activeCampaign, at, createCampaign, expectRejection, influencers } from './helpers.js';

describe('money in each currency\u2019s ISO 4217 minor unit', () => {
  it('counts JPY in whole yen: no fraction digits in, none out', () => {
    expect(currencyDigits('JPY')).toBe(0);
    expect(parseMoney({ amount: '1200', currency: 'JPY' })).toEqual({ amountMinor: 1200, currency: 'JPY' });
    expect(toMoney({ amountMinor: 1200, currency: 'JPY' })).toEqual({ amount: '1200', currency: 'JPY' });
    expect(addMoney({ amount: '999', currency: 'JPY' }, { amount: '1', currency: 'JPY' })).toEqual({ amount: '1000', currency: 'JPY' });
    for (const amount of ['1200.5', '1200.0', '0.1']) {
      expectRejection(() => parseMoney({ amount, currency: 'JPY' }), ErrorCode.BAD_USER_INPUT, {
        message: 'value.amount must be a whole number, e.g. "1200"',
        extensions: { field: 'value.amount' },
      });
    }
  });

  it('counts KWD and BHD in thousandths', () => {
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits('BHD')).toBe(3);
    expect(parseMoney({ amount: '1.5', currency: 'KWD' })).toEqual({ amountMinor: 1500, currency: 'KWD' });
    expect(parseMoney({ amount: '0.125', currency: 'BHD' })).toEqual({ amountMinor: 125, currency: 'BHD' });
    expect(normalizeMoney({ amount: '12.3', currency: 'KWD' })).toEqual({ amount: '12.300', currency: 'KWD' });
    // 0.1 + 0.2 + 0.005, exactly
    const sum = addMoney(addMoney({ amount: '0.1', currency: 'KWD' }, { amount: '0.2', currency: 'KWD' }), { amount: '0.005', currency: 'KWD' });
    expect(sum).toEqual({ amount: '0.305', currency: 'KWD' });
    expectRejection(() => parseMoney({ amount: '1.0001', currency: 'KWD' }), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must be a decimal number with at most 3 fraction digits, e.g. "12.300"',
      extensions: { field: 'value.amount' },
    });
  });

  it('counts EUR in cents, as before', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(parseMoney({ amount: '19.9', currency: 'EUR' })).toEqual({ amountMinor: 1990, currency: 'EUR' });
    expect(toMoney({ amountMinor: 1990, currency: 'EUR' })).toEqual({ amount: '19.90', currency: 'EUR' });
    expectRejection(() => parseMoney({ amount: '19.999', currency: 'EUR' }), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must be a decimal number with at most 2 fraction digits, e.g. "12.30"',
    });
  });

  it('allows a billion major units in any currency, and no more', () => {
    expect(parseMoney({ amount: '1000000000', currency: 'JPY' }).amountMinor).toBe(1_000_000_000);
    expect(parseMoney({ amount: '1000000000.000', currency: 'KWD' }).amountMinor).toBe(1_000_000_000_000);
    expectRejection(() => parseMoney({ amount: '1000000001', currency: 'JPY' }), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must be at most 1000000000',
    });
    expectRejection(() => parseMoney({ amount: '1000000000.001', currency: 'KWD' }), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must be at most 1000000000.000',
    });
  });

  it('refuses a currency ISO 4217 does not list, with BAD_USER_INPUT on the currency field', () => {
    for (const currency of ['ABC', 'XYZ', 'EUX']) {
      expectRejection(() => parseMoney({ amount: '1.00', currency }), ErrorCode.BAD_USER_INPUT, {
        message: `value.currency ${currency} is not an ISO 4217 currency code`,
        extensions: { field: 'value.currency' },
      });
    }
    // Listed without a minor unit: gold, special drawing rights, the testing code.
    for (const currency of ['XAU', 'XDR', 'XTS']) {
      expectRejection(() => normalizeMoney({ amount: '1', currency }, 'budget'), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'budget.currency' },
      });
    }
  });

  it('knows every ISO 4217 exponent there is: 0, 2, 3 and 4 digits', () => {
    const digits = new Set(Object.values(ISO_4217_MINOR_UNITS));
    expect([...digits].sort()).toEqual([0, 2, 3, 4, null]);
    expect(Object.keys(ISO_4217_MINOR_UNITS)).toHaveLength(180);
    expect(currencyDigits('CLF')).toBe(4);
    expect(currencyDigits('ISK')).toBe(0);
    expect(currencyDigits('TND')).toBe(3);
  });

  it('formats and parses minor units with the given digits, round-tripping exactly', () => {
    expect(formatMinor(1200, 0)).toBe('1200');
    expect(formatMinor(1250, 3)).toBe('1.250');
    expect(formatMinor(5, 3)).toBe('0.005');
    expect(formatMinor(123_456, 4)).toBe('12.3456');
    for (const digits of [0, 2, 3, 4]) {
      for (let minor = 0; minor <= 1_100; minor += 7) expect(parseAmountMinor(formatMinor(minor, digits), 'amount', digits)).toBe(minor);
    }
  });

  it('reads recorded money in its currency\u2019s unit, whether written with two digits or its own', () => {
    expect(minorOf({ amount: '1200', currency: 'JPY' })).toBe(1200);
    expect(minorOf({ amount: '1200.00', currency: 'JPY' })).toBe(1200);
    expect(minorOf({ amount: '1.50', currency: 'KWD' })).toBe(1500);
    expect(minorOf({ amount: '12.30', currency: 'EUR' })).toBe(1230);
    expect(minorOf({ amount: '0.00', currency: 'EUR' })).toBe(0);
  });

  it('reports revenue per currency in each currency\u2019s own digits', () => {
    expect(revenueAsMoney({ JPY: 1200, KWD: 1500, EUR: 1990 })).toEqual([
      { amount: '19.90', currency: 'EUR' },
      { amount: '1200', currency: 'JPY' },
      { amount: '1.500', currency: 'KWD' },
    ]);
  });

  it('records a conversion and a budget in the currency’s own unit', () => {
    const conversion = (value: { amount: string; currency: string }) =>
      decideConversion(activeCampaign(), influencers('i1'), () => undefined, {
        campaignId: C,
        conversionId: 'v1',
        influencerId: 'i1',
        value,
        occurredAt: at(30),
        now: at(40),
      }).data;
    expect(conversion({ amount: '1200', currency: 'JPY' })).toMatchObject({ value: { amount: '1200', currency: 'JPY' }, valueMinor: 1200 });
    expect(conversion({ amount: '2.5', currency: 'KWD' })).toMatchObject({ value: { amount: '2.500', currency: 'KWD' }, valueMinor: 2500 });
    expectRejection(() => conversion({ amount: '5.00', currency: 'ABC' }), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'value.currency' } });
    const [created] = campaignDecider.decide(createCampaign({ budget: { amount: '500000', currency: 'JPY' } }), campaignDecider.initialState());
    expect(created!.data).toMatchObject({ budget: { amount: '500000', currency: 'JPY' } });
  });
});
