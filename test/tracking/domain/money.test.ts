import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { MAX_AMOUNT_MINOR, addMinor, addMoney, formatMinor, normalizeMoney, parseAmountMinor, parseMoney } from '../../../subgraphs/tracking/domain/index.js';
import { expectRejection } from './helpers.js';

describe('money', () => {
  it('adds 0.1 and 0.2 to exactly 0.30', () => {
    expect(addMoney({ amount: '0.1', currency: 'EUR' }, { amount: '0.2', currency: 'EUR' })).toEqual({
      amount: '0.30',
      currency: 'EUR',
    });
  });

  it('parses decimal strings into exact minor units', () => {
    expect(parseAmountMinor('0')).toBe(0);
    expect(parseAmountMinor('0.1')).toBe(10);
    expect(parseAmountMinor('0.07')).toBe(7);
    expect(parseAmountMinor('12.3')).toBe(1230);
    expect(parseAmountMinor('007.50')).toBe(750);
    expect(parseAmountMinor('1000000000.00')).toBe(MAX_AMOUNT_MINOR);
  });

  it('formats minor units with exactly two fraction digits', () => {
    expect(formatMinor(0)).toBe('0.00');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(1230)).toBe('12.30');
    expect(formatMinor(-105)).toBe('-1.05');
    expect(formatMinor(9_007_199_254_740_991)).toBe('90071992547409.91');
    expect(formatMinor(123_456_789_012_345_678_901n)).toBe('1234567890123456789.01');
  });

  it('round-trips every cent from 0.00 to 20.00 without drift', () => {
    for (let minor = 0; minor <= 2000; minor += 1) expect(parseAmountMinor(formatMinor(minor))).toBe(minor);
  });

  it('sums ten thousand cents exactly, unlike floating point', () => {
    let total = 0;
    let float = 0;
    for (let i = 0; i < 10_000; i += 1) {
      total = addMinor(total, parseAmountMinor('0.01'));
      float += 0.01;
    }
    expect(formatMinor(total)).toBe('100.00');
    expect(float).not.toBe(100);
  });

  it('normalises money to its canonical form', () => {
    expect(normalizeMoney({ amount: '5.5', currency: 'USD' })).toEqual({ amount: '5.50', currency: 'USD' });
    expect(parseMoney({ amount: '-0.00', currency: 'USD' })).toEqual({ amountMinor: 0, currency: 'USD' });
  });

  it('rejects negative amounts', () => {
    expectRejection(() => parseMoney({ amount: '-0.01', currency: 'EUR' }), ErrorCode.BAD_USER_INPUT, {
      message: 'value.amount must not be negative',
      extensions: { field: 'value.amount' },
    });
  });

  it('rejects more than two fraction digits and non-decimal text', () => {
    for (const amount of ['0.001', '1.', '.5', '1e3', ' 1.00', '1,00', 'NaN', '', '0x10', '+1']) {
      expectRejection(() => parseMoney({ amount, currency: 'EUR' }), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'value.amount' },
      });
    }
    expectRejection(() => parseMoney({ amount: 1.5, currency: 'EUR' }), ErrorCode.BAD_USER_INPUT);
  });

  it('rejects amounts above the maximum', () => {
    expectRejection(() => parseAmountMinor('1000000000.01'), ErrorCode.BAD_USER_INPUT, { message: /at most/ });
    expectRejection(() => parseAmountMinor('9'.repeat(41)), ErrorCode.BAD_USER_INPUT);
  });

  it('rejects currencies that are not three uppercase letters', () => {
    for (const currency of ['eur', 'EURO', 'EU', 'E1R', '', ' EUR']) {
      expectRejection(() => parseMoney({ amount: '1.00', currency }), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'value.currency' },
      });
    }
  });

  it('refuses to add different currencies', () => {
    expectRejection(() => addMoney({ amount: '1.00', currency: 'EUR' }, { amount: '1.00', currency: 'USD' }), ErrorCode.BAD_USER_INPUT, {
      message: 'cannot add EUR and USD',
    });
  });

  it('throws RangeError when a sum of minor units leaves the safe-integer range', () => {
    expect(() => addMinor(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => addMinor(0.5, 1)).toThrow(RangeError);
    expect(addMinor(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
