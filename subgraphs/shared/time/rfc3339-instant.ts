import { canonicalInstantMs } from './canonical-instant.js';

/**
 * RFC 3339 `date-time` (section 5.6): `YYYY-MM-DDThh:mm:ss`, an optional fraction of a second
 * and a mandatory offset, `Z` or `±hh:mm`. As in the RFC's grammar, `T` and `Z` may be written in
 * lower case.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The epoch milliseconds of an RFC 3339 date-time, or NaN for anything else. This is the one rule
 * for instants clients send (the `DateTime` scalar and the domain validators): a date-time
 * without an offset is not an instant (it would be read in the server's local time), nor is a
 * date alone, a time without seconds, a space for the `T`, or a day, hour or offset out of range.
 * Digits of the fraction past milliseconds are dropped. A leap second (`:60`) is NaN too: a
 * JavaScript date cannot hold one. The form `toISOString` writes is read first, cheaply.
 */
export function rfc3339InstantMs(value: string): number {
  const canonical = canonicalInstantMs(value);
  if (!Number.isNaN(canonical)) return canonical;
  const match = DATE_TIME.exec(value);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const inRange =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!inRange) return Number.NaN;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number((match[7] ?? '').slice(0, 3).padEnd(3, '0')));
  const offsetMs = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return utc.getTime() - offsetMs;
}
