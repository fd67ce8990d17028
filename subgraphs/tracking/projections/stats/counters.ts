import { isCanonicalInstantForm } from '../../../shared/time/canonical-instant.js';
import { addMinor } from '../../domain/money.js';
import type { ActivityEvent } from '../../domain/activity/events.js';
import { emptyCounters, type ActivityCounters } from './shape.js';

const HOUR_MS = 3_600_000;

/** Buckets of the canonical hours seen lately (a batch spans a few), so the common case parses no date. */
const bucketsByHour = new Map<string, string>();

function bucketOf(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/** The hourly bucket key of an instant: its UTC hour as `YYYY-MM-DDTHH:00:00.000Z`. */
export function hourBucket(occurredAt: string): string {
  // As `toISOString` writes it (how events store `occurredAt`), the hour is the first 13 characters.
  if (isCanonicalInstantForm(occurredAt)) {
    const hour = occurredAt.slice(0, 13);
    const known = bucketsByHour.get(hour);
    if (known !== undefined) return known;
    // The hour itself is checked once: a calendar date such as 02-30 is not a timestamp.
    const ms = Date.parse(`${hour}:00:00.000Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 13) !== hour) throw new RangeError(`occurredAt ${occurredAt} is not a timestamp`);
    if (bucketsByHour.size >= 256) bucketsByHour.clear();
    const bucket = bucketOf(ms);
    bucketsByHour.set(hour, bucket);
    return bucket;
  }
  const ms = Date.parse(occurredAt);
  if (Number.isNaN(ms)) throw new RangeError(`occurredAt ${occurredAt} is not a timestamp`);
  return bucketOf(ms);
}

/**
 * The counters stored under `key`, created when missing. Uses own-property checks so that ids
 * such as `__proto__` or `constructor` are ordinary keys.
 */
export function countersAt(record: Record<string, ActivityCounters>, key: string): ActivityCounters {
  if (Object.hasOwn(record, key)) return record[key] as ActivityCounters;
  const counters = emptyCounters();
  Object.defineProperty(record, key, { value: counters, enumerable: true, writable: true, configurable: true });
  return counters;
}

/** Adds one activity event to `counters` in place (O(1)). */
export function count(counters: ActivityCounters, event: ActivityEvent): void {
  if (event.type === 'ImpressionRegistered') {
    counters.impressions += 1;
    return;
  }
  counters.conversions += 1;
  const { currency } = event.data.value;
  const sum = addMinor(counters.revenue[currency] ?? 0, event.data.valueMinor);
  counters.revenue[currency] = sum;
}
