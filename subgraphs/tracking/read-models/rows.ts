import type { CampaignStatus, Platform } from '../domain/index.js';
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

/** The counter and revenue columns as Prisma or the driver return them. */
export interface CounterRecord {
  readonly scope: string;
  readonly subjectId: string;
  readonly dimension: string;
  readonly key: string;
  readonly impressions: bigint | string | number;
  readonly conversions: bigint | string | number;
  readonly units: bigint | string | number;
  readonly position: bigint | string | number;
  readonly updatedAt: Date;
}

export interface RevenueRecord {
  readonly scope: string;
  readonly subjectId: string;
  readonly dimension: string;
  readonly key: string;
  readonly currency: string;
  readonly amountMinor: bigint | string | number;
}

const entryKey = (row: { scope: string; subjectId: string; dimension: string; key: string }) =>
  `${row.scope}\u0000${row.subjectId}\u0000${row.dimension}\u0000${row.key}`;

/** Joins counter rows with their revenue rows. */
export function toStatsViews(counters: readonly CounterRecord[], revenue: readonly RevenueRecord[]): StatsView[] {
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
    position: String(row.position),
    updatedAt: row.updatedAt,
  }));
}

export function campaignFromPrisma(row: {
  id: string;
  name: string;
  status: string;
  budgetMinor: bigint | null;
  budgetCurrency: string | null;
  startsAt: Date;
  endsAt: Date | null;
  productId: string | null;
  version: number;
  position: bigint;
  createdAt: Date;
  updatedAt: Date;
}): CampaignRow {
  return {
    ...row,
    status: row.status as CampaignStatus,
    budgetMinor: row.budgetMinor === null ? null : Number(row.budgetMinor),
    position: row.position.toString(),
  };
}

export function influencerFromPrisma(row: {
  id: string;
  handle: string;
  platform: string;
  version: number;
  position: bigint;
  createdAt: Date;
  updatedAt: Date;
}): InfluencerRow {
  return { ...row, platform: row.platform as Platform, position: row.position.toString() };
}

export function conversionFromPrisma(row: {
  id: string;
  campaignId: string;
  influencerId: string;
  amountMinor: bigint;
  currency: string;
  impressionId: string | null;
  productId: string | null;
  storeId: string | null;
  quantity: number | null;
  occurredAt: Date;
  position: bigint;
}): ConversionRow {
  return { ...row, amountMinor: Number(row.amountMinor), position: row.position.toString() };
}

/** An `impressions` row as the driver returns it. */
export interface ImpressionRecord {
  [column: string]: unknown;
  id: string;
  campaign_id: string;
  influencer_id: string;
  occurred_at: Date | string;
}

export const impressionFromRecord = (row: ImpressionRecord): ImpressionRow => ({
  id: row.id,
  campaignId: row.campaign_id,
  influencerId: row.influencer_id,
  occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
});
