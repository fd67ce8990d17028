export {
  ACTIVITY_CATEGORY,
  CAMPAIGN_CATEGORY,
  INFLUENCER_CATEGORY,
  activityStreamId,
  campaignIdOfActivityStream,
  campaignStreamId,
  influencerStreamId,
} from './stream-ids.js';
