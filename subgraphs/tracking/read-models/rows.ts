import type { Row } from '../../shared/database/kysely/database.js';
import type { CampaignRow, ConversionRow, CounterDimension, CounterScope, ImpressionRow, InfluencerRow } from '../projections/index.js';

export type { CampaignRow, ConversionRow, ImpressionRow, InfluencerRow };

/**
 * Counters of one subject or breakdown entry as the API reads them. `position` and `updatedAt` are
 * null while nothing was counted.
 */
export interface StatsView {
  readonly scope: CounterScope;
  readonly subjectId: string;
  readonly dimension: CounterDimension;
  /** '' for totals; the influencer id, campaign id or UTC hour of a breakdown entry. */
  readonly key: string;
  readonly impressions: number;
  readonly conversions: number;
  readonly units: number;
  /** Currency → minor units. */
  readonly revenue: Readonly<Record<string, number>>;
  readonly position: string | null;
  readonly updatedAt: Date | null;
}

export const emptyStats = (scope: CounterScope, subjectId: string): StatsView => ({
  scope,
  subjectId,
  dimension: 'total',
  key: '',
  impressions: 0,
  conversions: 0,
  units: 0,
  revenue: {},
  position: null,
  updatedAt: null,
});

const entryKey = (row: { scope: string; subjectId: string; dimension: string; key: string }) =>
  `${row.scope}\u0000${row.subjectId}\u0000${row.dimension}\u0000${row.key}`;

/** Joins counter rows with their revenue rows; BIGINT counts and sums become numbers. */
export function toStatsViews(counters: readonly Row<'trackingCounters'>[], revenue: readonly Row<'trackingRevenue'>[]): StatsView[] {
  const earned = new Map<string, Record<string, number>>();
  for (const row of revenue) {
    const key = entryKey(row);
    const byCurrency = earned.get(key) ?? {};
    byCurrency[row.currency] = Number(row.amountMinor);
    earned.set(key, byCurrency);
  }
  return counters.map((row) => ({
    scope: row.scope as CounterScope,
    subjectId: row.subjectId,
    dimension: row.dimension as CounterDimension,
    key: row.key,
    impressions: Number(row.impressions),
    conversions: Number(row.conversions),
    units: Number(row.units),
    revenue: earned.get(entryKey(row)) ?? {},
    position: row.position,
    updatedAt: row.updatedAt,
  }));
}
