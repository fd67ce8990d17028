/**
 * Stream names of the tracking subgraph. Every stream is `<category>-<id>`: the category
 * names the kind of stream, the id the instance, so a category is read by its prefix.
 * Impressions and conversions are decided against the campaign state (read from the campaigns
 * read model) rather than folded from a stream, so only campaigns and influencers have deciders;
 * the activity of a campaign is appended to one stream per campaign with expected version ANY.
 */

/** Category prefix of campaign streams. */
export const CAMPAIGN_CATEGORY = 'campaign';
/** Category prefix of influencer streams. */
export const INFLUENCER_CATEGORY = 'influencer';
/** Category prefix of the per-campaign activity streams (impressions and conversions). */
export const ACTIVITY_CATEGORY = 'activity';

/** The stream of one campaign: `campaign-<id>`. */
export const campaignStreamId = (campaignId: string): string => `${CAMPAIGN_CATEGORY}-${campaignId}`;

/** The stream of one influencer: `influencer-<id>`. */
export const influencerStreamId = (influencerId: string): string => `${INFLUENCER_CATEGORY}-${influencerId}`;

/** The activity stream of one campaign: `activity-<campaignId>`. */
export const activityStreamId = (campaignId: string): string => `${ACTIVITY_CATEGORY}-${campaignId}`;

/** The campaign id of an activity stream id. */
export const campaignIdOfActivityStream = (streamId: string): string => streamId.slice(ACTIVITY_CATEGORY.length + 1);
