import { addMinor } from '../../domain/money.js';
import type { ActivityEvent } from '../../domain/activity/events.js';
import { emptyCounters, type ActivityCounters } from './shape.js';

const HOUR_MS = 3_600_000;

/** The hourly bucket key of an instant: its UTC hour as `YYYY-MM-DDTHH:00:00.000Z`. */
export function hourBucket(occurredAt: string): string {
  const ms = Date.parse(occurredAt);
  if (Number.isNaN(ms)) throw new RangeError(`occurredAt ${occurredAt} is not a timestamp`);
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
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
