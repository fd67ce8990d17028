import { badInput } from '../../shared/errors/codes.js';

/**
 * Money as clients and events see it: a decimal string with at most two fraction digits and an
 * ISO-4217 currency code. Arithmetic never touches floating point: amounts are converted to
 * integer minor units (hundredths, whatever the currency) and back.
 */
export interface Money {
  /** Decimal string, e.g. `"12.30"`. Canonical form (as produced here) always has two digits. */
  readonly amount: string;
  /** Three uppercase letters, e.g. `"EUR"`. */
  readonly currency: string;
}

/** Money in integer minor units (hundredths). */
export interface MinorMoney {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Minor units per major unit; every currency is counted in hundredths. */
export const MINOR_PER_MAJOR = 100;
/** Largest accepted amount of one money value, in minor units (1,000,000,000.00). */
export const MAX_AMOUNT_MINOR = 100_000_000_000;
/** Shape of a currency code: three uppercase letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

const AMOUNT_PATTERN = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
const MAX_AMOUNT_TEXT = 40;

/**
 * Parses a decimal string into minor units exactly. Throws BAD_USER_INPUT (on `field`) when the
 * text is not a plain decimal with at most two fraction digits, is negative, or exceeds
 * {@link MAX_AMOUNT_MINOR}.
 */
export function parseAmountMinor(amount: unknown, field = 'amount'): number {
  const match = typeof amount === 'string' && amount.length <= MAX_AMOUNT_TEXT ? AMOUNT_PATTERN.exec(amount) : null;
  if (!match) {
    throw badInput(`${field} must be a decimal number with at most 2 fraction digits, e.g. "12.30"`, field);
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const minor = BigInt(whole) * BigInt(MINOR_PER_MAJOR) + BigInt(fraction.padEnd(2, '0'));
  if (sign === '-' && minor !== 0n) throw badInput(`${field} must not be negative`, field);
  if (minor > BigInt(MAX_AMOUNT_MINOR)) {
    throw badInput(`${field} must be at most ${formatMinor(MAX_AMOUNT_MINOR)}`, field);
  }
  return Number(minor);
}

/** Formats minor units as a decimal string with exactly two fraction digits (`1230` → `"12.30"`). */
export function formatMinor(amountMinor: number | bigint): string {
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amount in minor units must be a safe integer, got ${amountMinor}`);
  }
  const minor = BigInt(amountMinor);
  const magnitude = minor < 0n ? -minor : minor;
  const scale = BigInt(MINOR_PER_MAJOR);
  const fraction = String(magnitude % scale).padStart(2, '0');
  return `${minor < 0n ? '-' : ''}${magnitude / scale}.${fraction}`;
}

/** Adds two minor-unit amounts exactly; throws RangeError when the sum leaves the safe-integer range. */
export function addMinor(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(sum)) {
    throw new RangeError(`minor-unit sum ${a} + ${b} is not a safe integer`);
  }
  return sum;
}

/** Validates a currency code: three uppercase letters (ISO-4217 shape). */
export function validateCurrency(currency: unknown, field = 'currency'): string {
  if (typeof currency !== 'string' || !CURRENCY_PATTERN.test(currency)) {
    throw badInput(`${field} must be an ISO-4217 code of three uppercase letters, e.g. "EUR"`, field);
  }
  return currency;
}

/**
 * Validates client money (`{ amount, currency }`) and returns it in minor units. Errors name
 * `<field>.amount` or `<field>.currency`.
 */
export function parseMoney(value: unknown, field = 'value'): MinorMoney {
  if (typeof value !== 'object' || value === null) throw badInput(`${field} is required`, field);
  const { amount, currency } = value as Partial<Record<keyof Money, unknown>>;
  return {
    amountMinor: parseAmountMinor(amount, `${field}.amount`),
    currency: validateCurrency(currency, `${field}.currency`),
  };
}

/** Minor-unit money back to its canonical public form. */
export const toMoney = ({ amountMinor, currency }: MinorMoney): Money => ({
  amount: formatMinor(amountMinor),
  currency,
});

/** Validates client money and returns its canonical form (`"5.5"` → `"5.50"`). */
export const normalizeMoney = (value: unknown, field = 'value'): Money => toMoney(parseMoney(value, field));

/** Adds two money values of the same currency exactly; throws BAD_USER_INPUT on mixed currencies. */
export function addMoney(a: Money, b: Money): Money {
  const left = parseMoney(a, 'a');
  const right = parseMoney(b, 'b');
  if (left.currency !== right.currency) {
    throw badInput(`cannot add ${left.currency} and ${right.currency}`, 'currency');
  }
  return toMoney({ amountMinor: addMinor(left.amountMinor, right.amountMinor), currency: left.currency });
}
