import type { Selectable } from 'kysely';
import type { Counted, Row, Tables } from '../../shared/database/kysely/database.js';

/**
 * Per-model quality analytics as additive data. Each entry stream *contributes* to its model's
 * totals: 1 live entry (unless deleted), its latest score (sum and one histogram bucket), and every
 * assessment it ever had (per UTC day). The read model is the sum of all contributions; a change to
 * one stream adds `contribution(after) − contribution(before)`, which is O(1) per event. A rebuild
 * adds every stream's whole contribution to empty tables and lands on the same numbers.
 */

/** Histogram resolution: bucket b holds scores in [b/100, (b+1)/100); a score of 1 lands in 99. */
export const SCORE_BUCKETS = 100;

/** A score 0..1 (4 decimals) in integer ten-thousandths, so sums are exact. */
export const scoreToE4 = (score: number): number => Math.round(score * 10_000);

/** The histogram bucket of a score given in ten-thousandths. */
export const bucketOfE4 = (scoreE4: number): number => Math.min(SCORE_BUCKETS - 1, Math.max(0, Math.floor(scoreE4 / 100)));

/** UTC day of an instant, `YYYY-MM-DD`. */
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** Assessments of one model on one day. */
export interface DailyTally {
  readonly assessments: number;
  readonly scoreSumE4: number;
}

/** What one entry stream adds to its model's analytics. */
export interface ModelContribution {
  readonly model: string;
  /** Created and not deleted. */
  readonly live: boolean;
  /** Score of the latest assessment, in ten-thousandths; null before the first one. */
  readonly latestScoreE4: number | null;
  readonly assessments: number;
  readonly daily: Readonly<Record<string, DailyTally>>;
  /** Time of the stream's last event. */
  readonly updatedAt: Date;
}

/**
 * Totals row of `history_model_analytics` (or a delta to add to it): its score sum, a BIGINT, as
 * a number (exact up to 2^53 ten-thousandths).
 */
export type ModelTotalsRow = Readonly<Counted<Selectable<Tables['historyModelAnalytics']>, 'scoreSumE4'>>;

/** A `history_model_score_buckets` row (or a delta of its count). */
export type ScoreBucketRow = Row<'historyModelScoreBuckets'>;

/** A `history_model_daily` row (or a delta). */
export type DailyRow = Readonly<Counted<Selectable<Tables['historyModelDaily']>, 'scoreSumE4'>>;

export interface AnalyticsRows {
  readonly totals: ModelTotalsRow;
  readonly buckets: ScoreBucketRow[];
  readonly daily: DailyRow[];
}

/** The rows a whole contribution adds. */
export function contributionRows(contribution: ModelContribution): AnalyticsRows {
  const { model, live, latestScoreE4 } = contribution;
  const assessed = live && latestScoreE4 !== null;
  return {
    totals: {
      model,
      entries: live ? 1 : 0,
      assessedEntries: assessed ? 1 : 0,
      assessments: contribution.assessments,
      scoreSumE4: assessed ? latestScoreE4 : 0,
      updatedAt: contribution.updatedAt,
    },
    buckets: assessed ? [{ model, bucket: bucketOfE4(latestScoreE4), count: 1 }] : [],
    daily: Object.entries(contribution.daily)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, tally]) => ({ model, day, assessments: tally.assessments, scoreSumE4: tally.scoreSumE4 })),
  };
}

/** `after − before` as rows to add; zero bucket and day deltas are left out. */
export function contributionDelta(after: ModelContribution, before: ModelContribution | undefined): AnalyticsRows {
  const next = contributionRows(after);
  if (!before) return next;
  const previous = contributionRows(before);
  const buckets = new Map<number, number>();
  for (const row of next.buckets) buckets.set(row.bucket, (buckets.get(row.bucket) ?? 0) + row.count);
  for (const row of previous.buckets) buckets.set(row.bucket, (buckets.get(row.bucket) ?? 0) - row.count);
  const daily = new Map<string, { assessments: number; scoreSumE4: number }>();
  for (const row of next.daily) daily.set(row.day, { assessments: row.assessments, scoreSumE4: row.scoreSumE4 });
  for (const row of previous.daily) {
    const current = daily.get(row.day) ?? { assessments: 0, scoreSumE4: 0 };
    daily.set(row.day, { assessments: current.assessments - row.assessments, scoreSumE4: current.scoreSumE4 - row.scoreSumE4 });
  }
  return {
    totals: {
      model: after.model,
      entries: next.totals.entries - previous.totals.entries,
      assessedEntries: next.totals.assessedEntries - previous.totals.assessedEntries,
      assessments: next.totals.assessments - previous.totals.assessments,
      scoreSumE4: next.totals.scoreSumE4 - previous.totals.scoreSumE4,
      updatedAt: after.updatedAt,
    },
    buckets: [...buckets]
      .filter(([, count]) => count !== 0)
      .sort(([a], [b]) => a - b)
      .map(([bucket, count]) => ({ model: after.model, bucket, count })),
    daily: [...daily]
      .filter(([, tally]) => tally.assessments !== 0 || tally.scoreSumE4 !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, tally]) => ({ model: after.model, day, ...tally })),
  };
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram by nearest rank, reported as the midpoint of the bucket
 * holding that rank (so within 0.005 of the exact value). Null for an empty histogram.
 */
export function quantileOfBuckets(buckets: ReadonlyArray<{ bucket: number; count: number }>, q: number): number | null {
  const sorted = [...buckets].filter((row) => row.count > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let cumulative = 0;
  for (const row of sorted) {
    cumulative += row.count;
    if (cumulative >= rank) return Math.round((row.bucket + 0.5) * 100) / 10_000;
  }
  return Math.round((sorted[sorted.length - 1]!.bucket + 0.5) * 100) / 10_000;
}

/** Mean of `count` scores whose sum is `sumE4` ten-thousandths, rounded to 4 decimals; null if none. */
export const meanOfE4 = (sumE4: number, count: number): number | null => (count === 0 ? null : Math.round(sumE4 / count) / 10_000);
