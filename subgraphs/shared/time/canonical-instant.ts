const FORM = 'dddd-dd-ddTdd:dd:dd.dddZ';
const CANONICAL_LENGTH = FORM.length;
const ZERO = 0x30;
/** The character code each offset of the form requires; 0 where a digit goes. */
const SEPARATOR_AT: readonly number[] = [...FORM].map((char) => (char === 'd' ? 0 : char.charCodeAt(0)));

const twoDigits = (value: string, at: number): number => (value.charCodeAt(at) - ZERO) * 10 + value.charCodeAt(at + 1) - ZERO;

/**
 * The epoch milliseconds of an instant written exactly as `Date.prototype.toISOString` writes it
 * (`2026-11-25T03:00:00.000Z`), or NaN for anything else, valid ISO-8601 in another form included.
 * A cheap first check for the form clients and servers send almost always; callers fall back to a
 * full ISO-8601 parse on NaN. Impossible dates and hours (Feb 30, 24:00) are NaN: `Date.parse`
 * rolls them over to the next day, which the round trip below catches.
 */
export function canonicalInstantMs(value: string): number {
  if (value.length !== CANONICAL_LENGTH) return Number.NaN;
  for (let index = 0; index < CANONICAL_LENGTH; index += 1) {
    const code = value.charCodeAt(index);
    const separator = SEPARATOR_AT[index]!;
    if (separator === 0 ? code < ZERO || code > ZERO + 9 : code !== separator) return Number.NaN;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return ms;
  if ((twoDigits(value, 8) > 28 || twoDigits(value, 11) > 23) && new Date(ms).toISOString() !== value) return Number.NaN;
  return ms;
}
