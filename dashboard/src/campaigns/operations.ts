/** The campaign pages' operations. */
import { operation } from '../apollo/operations.js';
import type { CampaignData, CampaignStatsLiveData, CampaignsData, CampaignCounters, ConversionItem, ConversionsLiveData } from '../apollo/types.js';

export const CAMPAIGNS = operation<CampaignsData>('DashboardCampaigns');
export const CAMPAIGN = operation<CampaignData, { id: string; from: string }>('DashboardCampaign');
export const CAMPAIGN_STATS_LIVE = operation<CampaignStatsLiveData, { campaignId: string; from: string; after?: string | null }>('DashboardCampaignStats');
export const CONVERSIONS_LIVE = operation<ConversionsLiveData, { campaignId: string; after?: string | null }>('DashboardConversions');
export const REGISTER_IMPRESSION = operation<
  { registerImpression: { impression: { id: string }; stats: CampaignCounters; replayed: boolean } },
  { input: { campaignId: string; id: string; influencerId: string } }
>('DashboardRegisterImpression');
export const REGISTER_IMPRESSIONS = operation<
  { registerImpressions: { accepted: number; duplicates: number; stats: CampaignCounters } },
  { input: { campaignId: string; impressions: Array<{ id: string; influencerId: string }> } }
>('DashboardRegisterImpressions');
export const REGISTER_CONVERSION = operation<
  { registerConversion: { conversion: ConversionItem; stats: CampaignCounters; replayed: boolean } },
  {
    input: {
      campaignId: string;
      id: string;
      influencerId: string;
      value: { amount: string; currency: string };
      storeId?: string;
      quantity?: number;
    };
  }
>('DashboardRegisterConversion');
