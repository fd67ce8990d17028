import { badInput } from '../../../shared/errors/codes.js';
import { canonicalInstantMs } from '../../../shared/time/canonical-instant.js';
import { MAX_ID_LENGTH } from './limits.js';

/**
 * Field validators. Each returns the accepted (possibly normalised) value or throws a
 * BAD_USER_INPUT DomainError whose `extensions.field` names the offending field.
 */

/** An id: 1..100 characters, no surrounding whitespace. */
export function validateId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw badInput(`${field} is required`, field);
  if (value.length > MAX_ID_LENGTH) {
    throw badInput(`${field} must be at most ${MAX_ID_LENGTH} characters`, field);
  }
  if (value.trim() !== value) throw badInput(`${field} must not start or end with whitespace`, field);
  return value;
}

/** An optional id: absent or null becomes null, anything else must pass {@link validateId}. */
export function validateOptionalId(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : validateId(value, field);
}

/** Required free text: trimmed, then 1..max characters. Returns the trimmed text. */
export function validateRequiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) throw badInput(`${field} must not be empty`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

// Date and time, optional seconds and fraction, mandatory zone (Z or ±hh:mm).
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The epoch milliseconds of an ISO-8601 instant with an explicit zone, e.g. `2024-03-01T12:00:00Z`
 * or `2024-03-01T14:00:00.250+02:00`. Impossible calendar dates (Feb 30) are rejected.
 */
export function validateInstantMs(value: unknown, field: string): number {
  const canonical = typeof value === 'string' ? canonicalInstantMs(value) : Number.NaN;
  return Number.isNaN(canonical) ? parseZonedInstantMs(value, field) : canonical;
}

/** Like {@link validateInstantMs}, also returning the instant normalised to UTC (`toISOString`). */
export function validateInstant(value: unknown, field: string): { iso: string; ms: number } {
  // Already in the normalised form: no need to write it again.
  const canonical = typeof value === 'string' ? canonicalInstantMs(value) : Number.NaN;
  if (!Number.isNaN(canonical)) return { iso: value as string, ms: canonical };
  const ms = parseZonedInstantMs(value, field);
  return { iso: new Date(ms).toISOString(), ms };
}

/** Any ISO-8601 instant with a zone; the canonical form is read by the callers before this. */
function parseZonedInstantMs(value: unknown, field: string): number {
  const match = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  const ms = match ? Date.parse(match[0]) : Number.NaN;
  if (!match || Number.isNaN(ms) || !isCalendarDate(match)) {
    throw badInput(`${field} must be an ISO-8601 timestamp with a zone, e.g. 2024-03-01T12:00:00Z`, field);
  }
  return ms;
}

function isCalendarDate(match: RegExpExecArray): boolean {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return (
    day >= 1 && day <= days && Number(match[4]) <= 23 && Number(match[5]) <= 59 && Number(match[6] ?? 0) <= 59
  );
}

/** A positive safe integer no larger than `max`. */
export function validatePositiveInteger(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw badInput(`${field} must be a positive integer no larger than ${max}`, field);
  }
  return value;
}
