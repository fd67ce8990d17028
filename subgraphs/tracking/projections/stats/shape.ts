/**
 * Stored shape of the stats read models: plain JSON data (no Map, no bigint), updated in place.
 * Revenue is kept per currency in integer minor units of that currency (ISO 4217: cents, yen,
 * fils); numbers stay exact up to 2^53.
 */

/** Counters kept for a whole campaign or influencer and for each breakdown entry and hour. */
export interface ActivityCounters {
  impressions: number;
  conversions: number;
  /** Currency code → revenue in minor units. A currency appears once a conversion uses it. */
  revenue: Record<string, number>;
}

/** Hourly buckets keyed by the UTC hour of `occurredAt`, e.g. `2024-03-01T12:00:00.000Z`. */
export type HourlyCounters = Record<string, ActivityCounters>;

/** Statistics of one campaign. */
export interface CampaignStats extends ActivityCounters {
  campaignId: string;
  /** Influencer id → the influencer's counters within this campaign. */
  byInfluencer: Record<string, ActivityCounters>;
  hourly: HourlyCounters;
}

/** Statistics of one influencer across all campaigns. */
export interface InfluencerStats extends ActivityCounters {
  influencerId: string;
  /** Campaign id → the influencer's counters within that campaign. */
  byCampaign: Record<string, ActivityCounters>;
  hourly: HourlyCounters;
}

/** Fresh zeroed counters. */
export const emptyCounters = (): ActivityCounters => ({ impressions: 0, conversions: 0, revenue: {} });

/** The stats of a campaign with no activity yet. */
export const emptyCampaignStats = (campaignId: string): CampaignStats => ({
  campaignId,
  ...emptyCounters(),
  byInfluencer: {},
  hourly: {},
});

/** The stats of an influencer with no activity yet. */
export const emptyInfluencerStats = (influencerId: string): InfluencerStats => ({
  influencerId,
  ...emptyCounters(),
  byCampaign: {},
  hourly: {},
});
