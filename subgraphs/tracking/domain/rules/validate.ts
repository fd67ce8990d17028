import { badInput } from '../../../shared/errors/codes.js';
import { canonicalInstantMs } from '../../../shared/time/canonical-instant.js';
import { rfc3339InstantMs } from '../../../shared/time/rfc3339-instant.js';

/**
 * Field validators. Each returns the accepted (possibly normalised) value or throws a
 * BAD_USER_INPUT DomainError whose `extensions.field` names the offending field.
 */

/** Required free text: trimmed, then 1..max characters. Returns the trimmed text. */
export function validateRequiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) throw badInput(`${field} must not be empty`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

/**
 * The epoch milliseconds of an instant written as an RFC 3339 date-time with an offset or Z, e.g.
 * `2024-03-01T12:00:00Z` or `2024-03-01T14:00:00.250+02:00` (see `rfc3339InstantMs`). Impossible
 * calendar dates (Feb 30) and offset-less date-times are rejected.
 */
export function validateInstantMs(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? rfc3339InstantMs(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badInput(`${field} must be an RFC 3339 date-time with an offset or Z, e.g. 2024-03-01T12:00:00Z`, field);
  }
  return ms;
}

/** Like {@link validateInstantMs}, also returning the instant normalised to UTC (`toISOString`). */
export function validateInstant(value: unknown, field: string): { iso: string; ms: number } {
  // Already in the normalised form: no need to write it again.
  const canonical = typeof value === 'string' ? canonicalInstantMs(value) : Number.NaN;
  if (!Number.isNaN(canonical)) return { iso: value as string, ms: canonical };
  const ms = validateInstantMs(value, field);
  return { iso: new Date(ms).toISOString(), ms };
}

/** A positive safe integer no larger than `max`. */
export function validatePositiveInteger(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw badInput(`${field} must be a positive integer no larger than ${max}`, field);
  }
  return value;
}
