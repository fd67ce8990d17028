import { describe, expect, it } from 'vitest';
import { rfc3339InstantMs } from '../../subgraphs/shared/time/rfc3339-instant.js';

describe('rfc3339InstantMs', () => {
  it('reads RFC 3339 date-times with Z or an offset as the instant they name', () => {
    const cases: Array<[string, string]> = [
      ['2026-11-25T03:00:00.000Z', '2026-11-25T03:00:00.000Z'],
      ['2026-11-25T03:00:00Z', '2026-11-25T03:00:00.000Z'],
      ['2026-11-25T04:00:00+01:00', '2026-11-25T03:00:00.000Z'],
      ['2026-11-24T22:30:00-04:30', '2026-11-25T03:00:00.000Z'],
      ['2026-11-25T03:00:00-00:00', '2026-11-25T03:00:00.000Z'],
      ['2026-11-25T03:00:00.5Z', '2026-11-25T03:00:00.500Z'],
      // Digits past the millisecond are dropped, not rounded.
      ['2026-11-25T03:00:00.123999999Z', '2026-11-25T03:00:00.123Z'],
      // The RFC's grammar lets "T" and "Z" be lower case.
      ['2026-11-25t03:00:00z', '2026-11-25T03:00:00.000Z'],
      ['2024-02-29T23:59:59.999+23:59', '2024-02-29T00:00:59.999Z'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
    ];
    for (const [text, iso] of cases) expect(new Date(rfc3339InstantMs(text)).toISOString(), text).toBe(iso);
  });

  it('refuses date-times without an offset, which would be read in the server\u2019s time zone', () => {
    for (const text of ['2026-11-25T03:00:00', '2026-11-25T03:00:00.000', '2026-11-25T03:00']) {
      expect(Number.isNaN(Date.parse(text))).toBe(false); // what the scalar used to accept
      expect(rfc3339InstantMs(text), text).toBeNaN();
    }
  });

  it('refuses other ISO 8601 and Date.parse forms: dates alone, no seconds, spaces, week dates, words', () => {
    for (const text of [
      '2026-11-25',
      '2026-11-25T03:00Z',
      '2026-11-25 03:00:00Z',
      '20261125T030000Z',
      '2026-W48-3T03:00:00Z',
      '+002026-11-25T03:00:00.000Z',
      '2026-11-25T03:00:00.Z',
      '2026-11-25T03:00:00+0100',
      '2026-11-25T03:00:00+01',
      'Wed, 25 Nov 2026 03:00:00 GMT',
      ' 2026-11-25T03:00:00Z',
      '',
    ]) {
      expect(rfc3339InstantMs(text), text).toBeNaN();
    }
  });

  it('refuses fields out of range and days that do not exist', () => {
    for (const text of [
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-11-00T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-11-25T24:00:00Z',
      '2026-11-25T23:60:00Z',
      // A leap second: JavaScript dates cannot hold one.
      '2016-12-31T23:59:60Z',
      '2026-11-25T03:00:00+24:00',
      '2026-11-25T03:00:00+01:60',
    ]) {
      expect(rfc3339InstantMs(text), text).toBeNaN();
    }
    expect(new Date(rfc3339InstantMs('2000-02-29T00:00:00Z')).toISOString()).toBe('2000-02-29T00:00:00.000Z');
  });
});
