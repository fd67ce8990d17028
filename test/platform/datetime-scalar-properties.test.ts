import fc from 'fast-check';
import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../../subgraphs/shared/graphql/scalars.js';
import { checkProperty } from '../support/properties.js';

/** The parts of an RFC 3339 date-time (section 5.6), each within its range. */
interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the decimal point, if any. */
  fraction: string | null;
  /** Minutes east of UTC, or null for `Z`. */
  offset: number | null;
  lowerCase: boolean;
}

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

const dateTimeParts: fc.Arbitrary<DateTimeParts> = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1960, max: 2100 })),
    month: fc.integer({ min: 1, max: 12 }),
    dayIndex: fc.nat({ max: 30 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: null }),
    offset: fc.option(fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), { nil: null }),
    lowerCase: fc.boolean(),
  })
  .map(({ dayIndex, ...parts }) => ({ ...parts, day: 1 + (dayIndex % daysIn(parts.year, parts.month)) }));

const two = (value: number): string => String(value).padStart(2, '0');

function textOf(parts: DateTimeParts, withOffset = true): string {
  const date = `${String(parts.year).padStart(4, '0')}-${two(parts.month)}-${two(parts.day)}`;
  const time = `${two(parts.hour)}:${two(parts.minute)}:${two(parts.second)}${parts.fraction === null ? '' : `.${parts.fraction}`}`;
  const sign = parts.offset !== null && parts.offset < 0 ? '-' : '+';
  const magnitude = Math.abs(parts.offset ?? 0);
  const offset = parts.offset === null ? (parts.lowerCase ? 'z' : 'Z') : `${sign}${two(Math.floor(magnitude / 60))}:${two(magnitude % 60)}`;
  return `${date}${parts.lowerCase ? 't' : 'T'}${time}${withOffset ? offset : ''}`;
}

/** Days from 1970-01-01 to a proleptic Gregorian date, without `Date` (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The instant the parts name, in epoch ms: digits past the millisecond are dropped, as documented. */
function expectedMs(parts: DateTimeParts): number {
  const millis = Number((parts.fraction ?? '').slice(0, 3).padEnd(3, '0'));
  const local = ((daysFromCivil(parts.year, parts.month, parts.day) * 24 + parts.hour) * 60 + parts.minute) * 60_000 + parts.second * 1000 + millis;
  return local - (parts.offset ?? 0) * 60_000;
}

const parseLiteral = (value: string): unknown => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value }, {});

function refusal(parse: () => unknown): GraphQLError | undefined {
  try {
    parse();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  return undefined;
}

describe('DateTime scalar under random date-times', () => {
  it('reads every RFC 3339 date-time with an offset as the instant it names, as a variable and as a literal', () => {
    checkProperty(
      fc.property(dateTimeParts, (parts) => {
        const text = textOf(parts);
        const ms = expectedMs(parts);
        expect(DateTimeScalar.parseValue(text).getTime(), text).toBe(ms);
        expect((parseLiteral(text) as Date).getTime(), text).toBe(ms);
      }),
      { numRuns: 1_000 },
    );
  });

  it('answers in UTC what it read, and reads its own answer back as the same instant', () => {
    checkProperty(
      fc.property(dateTimeParts, (parts) => {
        const text = textOf(parts);
        const answer = DateTimeScalar.serialize(DateTimeScalar.parseValue(text));
        expect(answer).toBe(new Date(expectedMs(parts)).toISOString());
        expect(DateTimeScalar.parseValue(answer).getTime()).toBe(expectedMs(parts));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every instant a JavaScript date holds between years 0 and 9999', () => {
    const dates = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    checkProperty(
      fc.property(dates, (date) => {
        const text = DateTimeScalar.serialize(date);
        expect(DateTimeScalar.parseValue(text).getTime()).toBe(date.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every date-time without an offset with BAD_USER_INPUT, instead of reading it in local time', () => {
    checkProperty(
      fc.property(dateTimeParts, fc.boolean(), (parts, asLiteral) => {
        const text = textOf(parts, false);
        const error = refusal(() => (asLiteral ? parseLiteral(text) : DateTimeScalar.parseValue(text)));
        expect(error, text).toBeDefined();
        expect(error!.extensions.code).toBe('BAD_USER_INPUT');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a day the month does not have, and hours, minutes or offsets out of range', () => {
    const broken = fc.oneof(
      dateTimeParts.map((parts) => ({ ...parts, day: daysIn(parts.year, parts.month) + 1 })),
      dateTimeParts.map((parts) => ({ ...parts, day: 0 })),
      dateTimeParts.map((parts) => ({ ...parts, month: 0 })),
      dateTimeParts.map((parts) => ({ ...parts, hour: 24 })),
      dateTimeParts.map((parts) => ({ ...parts, minute: 60 })),
      dateTimeParts.map((parts) => ({ ...parts, second: 60 })),
      dateTimeParts.map((parts) => ({ ...parts, month: 13 })),
      dateTimeParts.map((parts) => ({ ...parts, offset: 24 * 60 })),
    );
    checkProperty(
      fc.property(broken, (parts) => {
        const text = textOf(parts);
        expect(refusal(() => DateTimeScalar.parseValue(text))?.extensions.code, text).toBe('BAD_USER_INPUT');
      }),
      { numRuns: 500 },
    );
  });
});
