import type { Money } from '../money.js';

/** Creates a campaign; decided against stream `campaign-<campaignId>`. */
export interface CreateCampaign {
  readonly type: 'CreateCampaign';
  readonly campaignId: string;
  /** 1..200 characters after trimming. */
  readonly name: string;
  readonly budget?: Money | null;
  /** ISO-8601 instant from which activity is accepted. */
  readonly startsAt: string;
  /** ISO-8601 instant (exclusive) after which no activity is accepted; later than `startsAt`. */
  readonly endsAt?: string | null;
  /** The inventory product the campaign promotes. */
  readonly productId?: string | null;
}

/** Pauses an ACTIVE campaign. */
export interface PauseCampaign {
  readonly type: 'PauseCampaign';
  readonly campaignId: string;
  readonly now: string;
}

/** Resumes a PAUSED campaign. */
export interface ResumeCampaign {
  readonly type: 'ResumeCampaign';
  readonly campaignId: string;
  readonly now: string;
}

/** Ends an ACTIVE or PAUSED campaign for good. */
export interface EndCampaign {
  readonly type: 'EndCampaign';
  readonly campaignId: string;
  readonly now: string;
}

/** Every command the campaign decider accepts. */
export type CampaignCommand = CreateCampaign | PauseCampaign | ResumeCampaign | EndCampaign;
