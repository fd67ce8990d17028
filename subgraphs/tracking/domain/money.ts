import { badInput } from '../../shared/errors/codes.js';
import { ISO_4217_MINOR_UNITS } from './iso-4217.js';

/**
 * Money as clients and events see it: a decimal string and an ISO 4217 currency code. Amounts are
 * counted in the currency's minor unit (ISO 4217: cents of EUR, yen of JPY, fils of KWD, which
 * are thousandths of the dinar), and arithmetic never touches floating point: amounts are converted
 * to integer minor units and back.
 */
export interface Money {
  /**
   * Decimal string, e.g. `"12.30"` EUR, `"1200"` JPY, `"1.250"` KWD. Canonical form (as produced
   * here) has exactly the currency's minor-unit digits.
   */
  readonly amount: string;
  /** ISO 4217 code, e.g. `"EUR"`. */
  readonly currency: string;
}

/** Money in integer minor units of its currency. */
export interface MinorMoney {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Largest accepted amount of one money value, in major units, whatever the currency. */
export const MAX_AMOUNT_MAJOR = 1_000_000_000;
/** {@link MAX_AMOUNT_MAJOR} in minor units of a currency with two decimals (1,000,000,000.00). */
export const MAX_AMOUNT_MINOR = 100_000_000_000;
/** Shape of a currency code: three uppercase letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** Minor-unit digits of an amount parsed or formatted without a currency: hundredths. */
const DEFAULT_DIGITS = 2;

const AMOUNT_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const MAX_AMOUNT_TEXT = 40;

/**
 * Validates a currency code: three uppercase letters that ISO 4217 lists with a minor unit.
 * Throws BAD_USER_INPUT (on `field`) otherwise; codes the standard gives no minor unit (gold
 * XAU, XDR, the testing code XTS…) cannot count an amount and are refused too.
 */
export function validateCurrency(currency: unknown, field = 'currency'): string {
  if (typeof currency !== 'string' || !CURRENCY_PATTERN.test(currency)) {
    throw badInput(`${field} must be an ISO-4217 code of three uppercase letters, e.g. "EUR"`, field);
  }
  const digits = ISO_4217_MINOR_UNITS[currency];
  if (digits === undefined) throw badInput(`${field} ${currency} is not an ISO 4217 currency code`, field);
  if (digits === null) throw badInput(`${field} ${currency} has no minor unit in ISO 4217, so it cannot count money`, field);
  return currency;
}

/**
 * Decimal digits of the currency's minor unit (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD.
 * Throws BAD_USER_INPUT like {@link validateCurrency}.
 */
export function currencyDigits(currency: unknown, field = 'currency'): number {
  return ISO_4217_MINOR_UNITS[validateCurrency(currency, field)]!;
}

/**
 * Minor-unit digits of a currency in stored data. A code outside ISO 4217 can only come from
 * money recorded before currencies were checked against it, in hundredths as everything was then.
 */
function storedDigits(currency: string): number {
  return ISO_4217_MINOR_UNITS[currency] ?? DEFAULT_DIGITS;
}

function amountFormat(digits: number): string {
  if (digits === 0) return 'a whole number, e.g. "1200"';
  return `a decimal number with at most ${digits} fraction digit${digits === 1 ? '' : 's'}, e.g. "12.${'30'.padEnd(digits, '0').slice(0, digits)}"`;
}

/**
 * Parses a decimal string into minor units exactly, for a currency with `digits` minor-unit
 * digits (default 2; see {@link currencyDigits}). Throws BAD_USER_INPUT (on `field`) when the text
 * is not a plain decimal with at most `digits` fraction digits, is negative, or exceeds
 * {@link MAX_AMOUNT_MAJOR}.
 */
export function parseAmountMinor(amount: unknown, field = 'amount', digits = DEFAULT_DIGITS): number {
  const match = typeof amount === 'string' && amount.length <= MAX_AMOUNT_TEXT ? AMOUNT_PATTERN.exec(amount) : null;
  const [, sign, whole = '0', fraction = ''] = match ?? [];
  if (!match || fraction.length > digits) throw badInput(`${field} must be ${amountFormat(digits)}`, field);
  const scale = 10n ** BigInt(digits);
  const minor = BigInt(whole) * scale + BigInt(fraction.padEnd(digits, '0') || '0');
  if (sign === '-' && minor !== 0n) throw badInput(`${field} must not be negative`, field);
  const max = BigInt(MAX_AMOUNT_MAJOR) * scale;
  if (minor > max) throw badInput(`${field} must be at most ${formatMinor(max, digits)}`, field);
  return Number(minor);
}

/**
 * Formats minor units as a decimal string with exactly `digits` fraction digits (default 2:
 * `1230` → `"12.30"`; with 0 digits `1200` → `"1200"`, with 3 `1250` → `"1.250"`).
 */
export function formatMinor(amountMinor: number | bigint, digits = DEFAULT_DIGITS): string {
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amount in minor units must be a safe integer, got ${amountMinor}`);
  }
  const minor = BigInt(amountMinor);
  const magnitude = minor < 0n ? -minor : minor;
  const sign = minor < 0n ? '-' : '';
  if (digits === 0) return `${sign}${magnitude}`;
  const scale = 10n ** BigInt(digits);
  return `${sign}${magnitude / scale}.${String(magnitude % scale).padStart(digits, '0')}`;
}

/** Adds two minor-unit amounts exactly; throws RangeError when the sum leaves the safe-integer range. */
export function addMinor(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(sum)) {
    throw new RangeError(`minor-unit sum ${a} + ${b} is not a safe integer`);
  }
  return sum;
}

/**
 * Validates client money (`{ amount, currency }`) and returns it in minor units of its currency.
 * Errors name `<field>.currency` or `<field>.amount` (the currency first: it says how many
 * fraction digits the amount may have).
 */
export function parseMoney(value: unknown, field = 'value'): MinorMoney {
  if (typeof value !== 'object' || value === null) throw badInput(`${field} is required`, field);
  const { amount, currency } = value as Partial<Record<keyof Money, unknown>>;
  const digits = currencyDigits(currency, `${field}.currency`);
  return { amountMinor: parseAmountMinor(amount, `${field}.amount`, digits), currency: currency as string };
}

/**
 * Minor units of recorded money (an event's or a read model's), in its currency's minor unit.
 * Trailing zero fraction digits are dropped first: money recorded when every currency was written
 * with two digits (`"1200.00"` JPY) keeps its value.
 */
export function minorOf(money: Money): number {
  const amount = money.amount.includes('.') ? money.amount.replace(/\.?0+$/, '') : money.amount;
  return parseAmountMinor(amount, 'amount', storedDigits(money.currency));
}

/**
 * Minor units of a recorded decimal amount in its currency's minor unit, rounded to the nearest
 * one when the amount is finer (half to even, so that sums of many amounts are not biased): money
 * recorded when every currency counted hundredths may be finer than its currency allows
 * (`"12.34"` JPY is 12 yen). Exact whenever the amount is representable.
 */
export function roundedMinorOf(money: Money): number {
  const match = AMOUNT_PATTERN.exec(money.amount);
  if (!match) throw new RangeError(`recorded amount ${money.amount} is not a decimal number`);
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = storedDigits(money.currency);
  const kept = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.slice(0, digits).padEnd(digits, '0') || '0');
  const rest = fraction.slice(digits);
  // Compares the dropped digits with one half of the minor unit: "5", "50"… is exactly half.
  const half = rest.length === 0 ? -1 : compareToHalf(rest);
  const minor = half > 0 || (half === 0 && kept % 2n === 1n) ? kept + 1n : kept;
  return Number(sign === '-' ? -minor : minor);
}

/** Sign of `0.<digits>` − 0.5. */
function compareToHalf(digits: string): number {
  const first = Number(digits[0]);
  if (first !== 5) return first > 5 ? 1 : -1;
  return /[1-9]/.test(digits.slice(1)) ? 1 : 0;
}

/** Minor-unit money back to its canonical public form, with the currency's minor-unit digits. */
export const toMoney = ({ amountMinor, currency }: MinorMoney): Money => ({
  amount: formatMinor(amountMinor, storedDigits(currency)),
  currency,
});

/** Validates client money and returns its canonical form (`"5.5"` EUR → `"5.50"`). */
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
