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
