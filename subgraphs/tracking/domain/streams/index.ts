export {
  CAMPAIGN_CATEGORY,
  INFLUENCER_CATEGORY,
  campaignStreamId,
  influencerStreamId,
} from './stream-ids.js';
