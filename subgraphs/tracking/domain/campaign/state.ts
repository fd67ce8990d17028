import type { Money } from '../money.js';

/** Lifecycle of a campaign: ACTIVE ⇄ PAUSED, either → ENDED (final). */
export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ENDED';

/** Every campaign status, in lifecycle order. */
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = Object.freeze(['ACTIVE', 'PAUSED', 'ENDED']);

/** The state of a campaign stream with no events yet. */
export interface NoCampaign {
  readonly created: false;
}

/** A created campaign as its decider remembers it. Instants are UTC ISO strings. */
export interface CreatedCampaign {
  readonly created: true;
  readonly campaignId: string;
  readonly name: string;
  readonly status: CampaignStatus;
  readonly budget: Money | null;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly productId: string | null;
}

/** What the campaign decider (and the activity rules) know of one campaign. */
export type CampaignState = NoCampaign | CreatedCampaign;

/** The state of an empty campaign stream. */
export const initialCampaignState = (): CampaignState => ({ created: false });
