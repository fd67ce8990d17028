import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketOfE4,
  contributionDelta,
  contributionRows,
  entryProjection,
  evolveEntryProjection,
  initialEntryProjection,
  meanOfE4,
  quantileOfBuckets,
  scoreToE4,
  type AnalyticsRows,
} from '../../../subgraphs/history/projections/index.js';
import { ENTRY_EVENTS, type EntryEvent } from '../../../subgraphs/history/domain/index.js';
import type { RecordedEvent } from '../../../subgraphs/shared/event-store/contract.js';
import { foldStream } from '../../../subgraphs/shared/projections/stream-projection.js';
import { checkProperty } from '../../support/properties.js';

const metrics = { words: 3, sentences: 1, averageWordLength: 4, averageSentenceLength: 3, lexicalDiversity: 1, readability: 80, sentiment: 0 };
const analyzer = { name: 'basic-metrics', version: '1.0.0' };
let position = 0;
/** An entry event as the store reads it back: checked and typed by the entry stream's schema. */
function recorded(type: string, data: Record<string, unknown>, version: number, at = '2026-03-01T10:00:00.000Z'): RecordedEvent<EntryEvent> {
  position += 1;
  return ENTRY_EVENTS.decode({
    type,
    data,
    version,
    position: String(position),
    transactionId: String(position),
    streamId: 'entry-e1',
    metadata: {},
    occurredAt: new Date(at),
  });
}
const created = () =>
  recorded('EntryCreated', { entryId: 'e1', version: 1, model: 'm', prompt: null, content: 'abc def ghi', subject: null, metrics, analyzer }, 1);
const assessed = (version: number, score: number, at?: string) =>
  recorded(
    'QualityAssessed',
    {
      assessmentId: `a${version}`,
      entryId: 'e1',
      entryVersion: 1,
      model: 'm',
      score,
      dimensions: [],
      assessor: { name: 'heuristic', version: '1' },
      jobId: null,
    },
    version,
    at,
  );
const deleted = (version: number) => recorded('EntryDeleted', { entryId: 'e1', model: 'm', version: 1, reason: null }, version);

/** Adds analytics rows the way the SQL does. */
function accumulate(rows: AnalyticsRows[]) {
  const totals = { entries: 0, assessedEntries: 0, assessments: 0, scoreSumE4: 0 };
  const buckets = new Map<number, number>();
  const daily = new Map<string, { assessments: number; scoreSumE4: number }>();
  for (const row of rows) {
    totals.entries += row.totals.entries;
    totals.assessedEntries += row.totals.assessedEntries;
    totals.assessments += row.totals.assessments;
    totals.scoreSumE4 += row.totals.scoreSumE4;
    for (const bucket of row.buckets) buckets.set(bucket.bucket, (buckets.get(bucket.bucket) ?? 0) + bucket.count);
    for (const day of row.daily) {
      const current = daily.get(day.day) ?? { assessments: 0, scoreSumE4: 0 };
      daily.set(day.day, { assessments: current.assessments + day.assessments, scoreSumE4: current.scoreSumE4 + day.scoreSumE4 });
    }
  }
  for (const [bucket, count] of buckets) if (count === 0) buckets.delete(bucket);
  return { totals, buckets: Object.fromEntries(buckets), daily: Object.fromEntries(daily) };
}

describe('score buckets', () => {
  it('holds scores in [b/100, (b+1)/100), with 1.0 in the last bucket', () => {
    expect([0, 0.0099, 0.01, 0.5, 0.5099, 0.995, 0.9999, 1].map((score) => bucketOfE4(scoreToE4(score)))).toEqual([0, 0, 1, 50, 50, 99, 99, 99]);
    expect(scoreToE4(0.1234)).toBe(1234);
  });
});

describe('quantiles of the histogram', () => {
  it('is null without scores and the bucket midpoint by nearest rank otherwise', () => {
    expect(quantileOfBuckets([], 0.5)).toBeNull();
    expect(quantileOfBuckets([{ bucket: 42, count: 1 }], 0.5)).toBe(0.425);
    expect(quantileOfBuckets([{ bucket: 99, count: 3 }], 0.9)).toBe(0.995);
    // Ten scores, one per bucket 10, 20, …, 100→99: ranks 5 and 9.
    const buckets = [10, 20, 30, 40, 50, 60, 70, 80, 90, 99].map((bucket) => ({ bucket, count: 1 }));
    expect(quantileOfBuckets(buckets, 0.5)).toBe(0.505);
    expect(quantileOfBuckets(buckets, 0.9)).toBe(0.905);
    expect(
      quantileOfBuckets(
        [
          { bucket: 5, count: 0 },
          { bucket: 7, count: 2 },
        ],
        0.5,
      ),
    ).toBe(0.075);
  });

  it('stays within half a bucket of the exact nearest-rank quantile', () => {
    const score = fc.integer({ min: 0, max: 10_000 }).map((e4) => e4 / 10_000);
    checkProperty(
      fc.property(
        fc.array(score, { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.9),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (scores, q, anyQ) => {
          const counts = new Map<number, number>();
          for (const value of scores) counts.set(bucketOfE4(scoreToE4(value)), (counts.get(bucketOfE4(scoreToE4(value))) ?? 0) + 1);
          const buckets = [...counts].map(([bucket, count]) => ({ bucket, count }));
          const sorted = [...scores].sort((a, b) => a - b);
          for (const quantile of [q, anyQ]) {
            const exact = sorted[Math.max(1, Math.ceil(quantile * sorted.length)) - 1]!;
            expect(Math.abs(quantileOfBuckets(buckets, quantile)! - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rounds the mean of ten-thousandths to 4 decimals', () => {
    expect(meanOfE4(0, 0)).toBeNull();
    expect(meanOfE4(10_000 + 5_000, 2)).toBe(0.75);
    expect(meanOfE4(1, 3)).toBe(0);
    expect(meanOfE4(2, 3)).toBe(0.0001);
  });
});

describe('per-entry contribution to its model', () => {
  it('counts a live entry, its latest score, and every assessment per day', () => {
    const events = [created(), assessed(2, 0.3), assessed(3, 0.8, '2026-03-02T09:00:00.000Z')];
    const state = foldStream(entryProjection, events);
    const rows = contributionRows(state.contribution!);
    expect(rows.totals).toMatchObject({ model: 'm', entries: 1, assessedEntries: 1, assessments: 2, scoreSumE4: 8000 });
    expect(rows.buckets).toEqual([{ model: 'm', bucket: 80, count: 1 }]);
    expect(rows.daily).toEqual([
      { model: 'm', day: '2026-03-01', assessments: 1, scoreSumE4: 3000 },
      { model: 'm', day: '2026-03-02', assessments: 1, scoreSumE4: 8000 },
    ]);
  });

  it('a deletion removes the entry and its latest score but keeps the assessment history', () => {
    const state = foldStream(entryProjection, [created(), assessed(2, 0.3), deleted(3)]);
    const rows = contributionRows(state.contribution!);
    expect(rows.totals).toMatchObject({ entries: 0, assessedEntries: 0, assessments: 1, scoreSumE4: 0 });
    expect(rows.buckets).toEqual([]);
    expect(rows.daily).toEqual([{ model: 'm', day: '2026-03-01', assessments: 1, scoreSumE4: 3000 }]);
  });

  it('the deltas of each event add up to the whole contribution (inline == rebuild)', () => {
    const events = [created(), assessed(2, 0.3), assessed(3, 0.35), assessed(4, 0.91, '2026-03-05T00:00:00.000Z'), deleted(5)];
    for (let length = 1; length <= events.length; length += 1) {
      const deltas: AnalyticsRows[] = [];
      let state = initialEntryProjection();
      for (const event of events.slice(0, length)) {
        const next = evolveEntryProjection(state, event);
        deltas.push(contributionDelta(next.contribution!, state.contribution));
        state = next;
      }
      expect(accumulate(deltas)).toEqual(accumulate([contributionRows(state.contribution!)]));
    }
  });

  it('a re-assessment into another bucket moves the count: -1 there, +1 here', () => {
    const before = foldStream(entryProjection, [created(), assessed(2, 0.3)]);
    const after = evolveEntryProjection(before, assessed(3, 0.75));
    const delta = contributionDelta(after.contribution!, before.contribution);
    expect(delta.totals).toMatchObject({ entries: 0, assessedEntries: 0, assessments: 1, scoreSumE4: 4500 });
    expect(delta.buckets).toEqual([
      { model: 'm', bucket: 30, count: -1 },
      { model: 'm', bucket: 75, count: 1 },
    ]);
  });
});
