/**
 * Stream names of the tracking subgraph. Every stream is `<category>-<id>` (see DESIGN.md).
 * Impressions and conversions are decided against the campaign state rather than folded from a
 * stream of their own, so only campaigns and influencers have deciders.
 */

/** Category prefix of campaign streams. */
export const CAMPAIGN_CATEGORY = 'campaign';
/** Category prefix of influencer streams. */
export const INFLUENCER_CATEGORY = 'influencer';

/** The stream of one campaign: `campaign-<id>`. */
export const campaignStreamId = (campaignId: string): string => `${CAMPAIGN_CATEGORY}-${campaignId}`;

/** The stream of one influencer: `influencer-<id>`. */
export const influencerStreamId = (influencerId: string): string =>
  `${INFLUENCER_CATEGORY}-${influencerId}`;
