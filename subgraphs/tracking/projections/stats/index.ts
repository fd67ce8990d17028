/** The campaign and influencer stats projection: an O(1)-per-event reducer over plain JSON data. */
export {
  emptyCounters,
  emptyCampaignStats,
  emptyInfluencerStats,
  type ActivityCounters,
  type HourlyCounters,
  type CampaignStats,
  type InfluencerStats,
} from './shape.js';
export { hourBucket } from './counters.js';
export { applyToStats, applyToInfluencerStats } from './apply.js';
export { conversionRate, revenueAsMoney } from './read.js';
export { recountCampaignStats, recountInfluencerStats } from './recount.js';
