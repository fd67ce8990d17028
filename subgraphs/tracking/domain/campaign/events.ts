import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { Money } from '../money.js';

/**
 * A campaign was created. `name` is trimmed, instants are normalised to UTC ISO strings, `budget`
 * is canonical money; absent optional fields are null. Schema version 2: campaigns recorded before
 * it wrote every budget with two fraction digits (see upcasters.ts).
 */
export type CampaignCreated = DomainEvent<
  'CampaignCreated',
  {
    readonly schemaVersion: 2;
    readonly campaignId: string;
    readonly name: string;
    readonly budget: Money | null;
    readonly startsAt: string;
    readonly endsAt: string | null;
    readonly productId: string | null;
  }
>;

/** An ACTIVE campaign was paused at `pausedAt`. */
export type CampaignPaused = DomainEvent<'CampaignPaused', { readonly campaignId: string; readonly pausedAt: string }>;

/** A PAUSED campaign became ACTIVE again at `resumedAt`. */
export type CampaignResumed = DomainEvent<'CampaignResumed', { readonly campaignId: string; readonly resumedAt: string }>;

/** A campaign ended at `endedAt`; it accepts no more activity. */
export type CampaignEnded = DomainEvent<'CampaignEnded', { readonly campaignId: string; readonly endedAt: string }>;

/** Every event of a campaign stream. */
export type CampaignEvent = CampaignCreated | CampaignPaused | CampaignResumed | CampaignEnded;
