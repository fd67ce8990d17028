import type { ActivityEvent } from '../../domain/activity/events.js';
import type { TrackingEvent } from '../../domain/events.js';
import { count, countersAt, hourBucket } from './counters.js';
import type { CampaignStats, InfluencerStats } from './shape.js';

const isActivity = (event: TrackingEvent): event is ActivityEvent => event.type === 'ImpressionRegistered' || event.type === 'ConversionRegistered';

/**
 * Folds one event into a campaign's stats in O(1): totals, the influencer's breakdown entry and
 * the hour's bucket. Mutates and returns `stats` (the caller owns it, e.g. a row just loaded).
 * Events of other campaigns and non-activity events leave it unchanged.
 */
export function applyToStats(stats: CampaignStats, event: TrackingEvent): CampaignStats {
  if (!isActivity(event) || event.data.campaignId !== stats.campaignId) return stats;
  count(stats, event);
  count(countersAt(stats.byInfluencer, event.data.influencerId), event);
  count(countersAt(stats.hourly, hourBucket(event.data.occurredAt)), event);
  return stats;
}

/**
 * Folds one event into an influencer's stats in O(1): totals, the campaign's breakdown entry and
 * the hour's bucket. Mutates and returns `stats`. Events of other influencers are ignored.
 */
export function applyToInfluencerStats(stats: InfluencerStats, event: TrackingEvent): InfluencerStats {
  if (!isActivity(event) || event.data.influencerId !== stats.influencerId) return stats;
  count(stats, event);
  count(countersAt(stats.byCampaign, event.data.campaignId), event);
  count(countersAt(stats.hourly, hourBucket(event.data.occurredAt)), event);
  return stats;
}
