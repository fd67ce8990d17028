export type { CreateCampaign, PauseCampaign, ResumeCampaign, EndCampaign, CampaignCommand } from './commands.js';
export type { CampaignCreated, CampaignPaused, CampaignResumed, CampaignEnded, CampaignEvent } from './events.js';
export { CAMPAIGN_STATUSES, initialCampaignState, type CampaignState, type CampaignStatus, type CreatedCampaign, type NoCampaign } from './state.js';
export { decideCampaign, evolveCampaign, campaignDecider } from './decider.js';
