import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import {
  ISO_4217_MINOR_UNITS,
  MAX_AMOUNT_MAJOR,
  addMoney,
  formatMinor,
  minorOf,
  normalizeMoney,
  parseMoney,
  toMoney,
} from '../../../subgraphs/tracking/domain/index.js';
import { checkProperty } from '../../support/properties.js';
import { expectRejection } from './helpers.js';

/** Every currency ISO 4217 gives a minor unit, with its exponent (0, 2, 3 or 4). */
const COUNTING = Object.entries(ISO_4217_MINOR_UNITS).flatMap(([currency, digits]) => (digits === null ? [] : [{ currency, digits }]));
const UNCOUNTABLE = Object.entries(ISO_4217_MINOR_UNITS).flatMap(([currency, digits]) => (digits === null ? [currency] : []));

/** A currency and an amount in its minor units, anywhere from zero to the largest accepted one. */
const moneyOfOneCurrency = (count: number) =>
  fc.constantFrom(...COUNTING).chain(({ currency, digits }) => {
    const max = MAX_AMOUNT_MAJOR * 10 ** digits;
    // Small amounts and ones near the limit are where digits go missing: both ends get their share.
    const minor = fc.oneof(fc.integer({ min: 0, max: 10 ** (digits + 2) }), fc.integer({ min: 0, max }), fc.integer({ min: max - 10 ** (digits + 2), max }));
    return fc.record({ currency: fc.constant(currency), digits: fc.constant(digits), minors: fc.array(minor, { minLength: count, maxLength: count }) });
  });

/** The decimal text of `minor` minor units with `digits` fraction digits, written without the code under test. */
function decimalText(minor: number, digits: number): string {
  const text = String(minor).padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

describe('money under ISO 4217 exponents', () => {
  it("writes every amount with exactly its currency's minor-unit digits, and reads it back to the same minor units", () => {
    checkProperty(
      fc.property(moneyOfOneCurrency(1), ({ currency, digits, minors: [minor] }) => {
        const money = toMoney({ amountMinor: minor!, currency });
        expect(money.amount).toBe(decimalText(minor!, digits));
        expect(formatMinor(minor!, digits)).toBe(money.amount);
        expect(parseMoney(money)).toEqual({ amountMinor: minor, currency });
        expect(minorOf(money)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it('reads fewer fraction digits, or more zeros in front, as the same amount', () => {
    checkProperty(
      fc.property(moneyOfOneCurrency(1), fc.nat({ max: 3 }), ({ currency, digits, minors: [minor] }, zeros) => {
        const canonical = decimalText(minor!, digits);
        const short = canonical.includes('.') ? canonical.replace(/\.?0+$/, '') : canonical;
        const padded = `${'0'.repeat(zeros)}${short}`;
        expect(normalizeMoney({ amount: padded, currency })).toEqual({ amount: canonical, currency });
      }),
      { numRuns: 300 },
    );
  });

  it("refuses one fraction digit more than the currency's minor unit", () => {
    checkProperty(
      fc.property(moneyOfOneCurrency(1), fc.integer({ min: 1, max: 9 }), ({ currency, digits, minors: [minor] }, extra) => {
        const canonical = decimalText(minor!, digits);
        const amount = digits === 0 ? `${canonical}.${extra}` : `${canonical}${extra}`;
        expectRejection(() => parseMoney({ amount, currency }), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'value.amount' } });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses anything above the largest amount, whatever the currency', () => {
    checkProperty(
      fc.property(fc.constantFrom(...COUNTING), fc.integer({ min: 1, max: 1_000_000 }), ({ currency, digits }, over) => {
        const amount = decimalText(MAX_AMOUNT_MAJOR * 10 ** digits + over, digits);
        expectRejection(() => parseMoney({ amount, currency }), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'value.amount' } });
      }),
      { numRuns: 200 },
    );
  });

  it('adds two amounts of one currency exactly, in either order, as integers add', () => {
    checkProperty(
      fc.property(moneyOfOneCurrency(2), ({ currency, digits, minors: [a, b] }) => {
        const left = { amount: decimalText(a!, digits), currency };
        const right = { amount: decimalText(b!, digits), currency };
        const sum = addMoney(left, right);
        expect(sum).toEqual({ amount: decimalText(a! + b!, digits), currency });
        expect(addMoney(right, left)).toEqual(sum);
      }),
      { numRuns: 300 },
    );
  });

  it('reads money recorded with two fraction digits in any currency at its value, when those digits are zeros', () => {
    checkProperty(
      fc.property(moneyOfOneCurrency(1), fc.integer({ min: 1, max: 4 }), ({ currency, digits, minors: [minor] }, zeros) => {
        const canonical = decimalText(minor!, digits);
        const recorded = `${canonical}${digits === 0 ? '.' : ''}${'0'.repeat(zeros)}`;
        expect(minorOf({ amount: recorded, currency })).toBe(minor);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every currency ISO 4217 lists without a minor unit', () => {
    checkProperty(
      fc.property(fc.constantFrom(...UNCOUNTABLE), fc.nat({ max: 1_000_000 }), (currency, minor) => {
        expectRejection(() => parseMoney({ amount: decimalText(minor, 2), currency }), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'value.currency' } });
      }),
      { numRuns: 100 },
    );
  });
});
