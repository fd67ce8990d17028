import { describe, expect, it } from 'vitest';
import { canonicalInstantMs } from '../../subgraphs/shared/time/canonical-instant.js';

describe('canonicalInstantMs', () => {
  it('reads an instant written as toISOString writes it', () => {
    for (const iso of ['2026-11-25T03:00:00.000Z', '2024-02-29T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z']) {
      expect(canonicalInstantMs(iso)).toBe(Date.parse(iso));
    }
    // Every instant of a leap year's day boundaries round-trips.
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 86_400_000 - 1) {
      const iso = new Date(ms).toISOString();
      expect(canonicalInstantMs(iso)).toBe(ms);
    }
  });

  it('is NaN for dates and hours that do not exist, which Date.parse would roll over', () => {
    for (const iso of ['2024-02-30T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '2026-04-31T12:00:00.000Z', '2026-11-25T24:00:00.000Z']) {
      expect(Number.isNaN(Date.parse(iso)) || new Date(Date.parse(iso)).toISOString() !== iso).toBe(true);
      expect(canonicalInstantMs(iso)).toBeNaN();
    }
    for (const iso of ['2026-13-01T00:00:00.000Z', '2026-11-00T00:00:00.000Z', '2026-11-25T23:60:00.000Z', '2026-11-25T23:59:60.000Z']) {
      expect(canonicalInstantMs(iso)).toBeNaN();
    }
  });

  it('is NaN for valid ISO-8601 in any other form, so callers parse those fully', () => {
    for (const iso of [
      '2026-11-25T03:00:00Z',
      '2026-11-25T03:00:00.000+00:00',
      '2026-11-25T04:00:00.000+01:00',
      '2026-11-25T03:00:00.0000Z',
      '2026-11-25 03:00:00.000Z',
      '2026-11-25t03:00:00.000Z',
      '+002026-11-25T03:00:00.000Z',
      '2026-1a-25T03:00:00.000Z',
      '',
    ]) {
      expect(canonicalInstantMs(iso)).toBeNaN();
    }
  });
});
