import { badInput } from '../../../shared/errors/codes.js';
import { rfc3339InstantMs } from '../../../shared/time/rfc3339-instant.js';
import { MAX_QUANTITY, MAX_SKU_LENGTH, SKU_PATTERN } from './limits.js';

/**
 * Field validators. Each returns the accepted (possibly normalised) value or throws a
 * BAD_USER_INPUT DomainError whose `extensions.field` names the offending field.
 */

/** A SKU: 1..64 characters of `[A-Za-z0-9._-]`. */
export function validateSku(value: unknown, field = 'sku'): string {
  if (typeof value !== 'string' || value.length === 0) throw badInput(`${field} is required`, field);
  if (value.length > MAX_SKU_LENGTH) {
    throw badInput(`${field} must be at most ${MAX_SKU_LENGTH} characters`, field);
  }
  if (!SKU_PATTERN.test(value)) {
    throw badInput(`${field} may contain only letters, digits, '.', '_' and '-'`, field);
  }
  return value;
}

/** Required free text: trimmed, then 1..max characters. Returns the trimmed text. */
export function validateRequiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) throw badInput(`${field} must not be empty`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

/**
 * Optional free text: trimmed, at most max characters. Absent, null or blank text becomes null.
 */
export function validateOptionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badInput(`${field} must be a string`, field);
  const text = value.trim();
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text.length === 0 ? null : text;
}

/** An integer within [min, max]. */
export function validateIntegerInRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}`, field);
  }
  return value;
}

/** A quantity: a positive safe integer no larger than 1_000_000_000. */
export function validateQuantity(value: unknown, field = 'quantity'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_QUANTITY) {
    throw badInput(`${field} must be a positive integer no larger than ${MAX_QUANTITY}`, field);
  }
  return value;
}

/** An RFC 3339 date-time with an offset or Z (see `rfc3339InstantMs`). Returns its epoch milliseconds. */
export function validateInstant(value: unknown, field = 'now'): number {
  const ms = typeof value === 'string' ? rfc3339InstantMs(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badInput(`${field} must be an RFC 3339 date-time with an offset or Z`, field);
  return ms;
}
