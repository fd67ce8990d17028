/**
 * The form `Date.prototype.toISOString` writes (`2026-11-25T03:00:00.000Z`), hours, minutes and
 * seconds in range. The day of the month is only checked to be two digits.
 */
const CANONICAL_FORM = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** True when `value` is written in the canonical form (see {@link canonicalInstantMs} for a real date). */
export function isCanonicalInstantForm(value: string): boolean {
  return value.length === 24 && CANONICAL_FORM.test(value);
}

/**
 * The epoch milliseconds of an instant written exactly as `Date.prototype.toISOString` writes it,
 * or NaN for anything else, valid ISO-8601 in another form included. A cheap first check for the
 * form clients and servers send almost always; callers fall back to a full ISO-8601 parse on NaN.
 * Days that do not exist (Feb 30) are NaN: `Date.parse` rolls them over into the next month,
 * which the round trip below catches.
 */
export function canonicalInstantMs(value: string): number {
  if (!isCanonicalInstantForm(value)) return Number.NaN;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return ms;
  const day = (value.charCodeAt(8) - 0x30) * 10 + value.charCodeAt(9) - 0x30;
  if (day > 28 && new Date(ms).toISOString() !== value) return Number.NaN;
  return ms;
}
