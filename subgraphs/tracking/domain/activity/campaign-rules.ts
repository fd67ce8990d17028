import { DomainError, ErrorCode, badInput, notFound } from '../../../shared/errors/codes.js';
import type { CampaignState, CreatedCampaign } from '../campaign/state.js';
import { MAX_CLOCK_SKEW_MS } from '../rules/limits.js';
import { validateId } from '../../../shared/domain/id.js';
import { validateInstant, validateInstantMs } from '../rules/validate.js';

/** Tells whether an influencer is registered. */
export type InfluencerExists = (influencerId: string) => boolean;

/** The time window [startsAt, endsAt) in which a campaign accepts activity, in epoch ms. */
export interface ActivityWindow {
  readonly campaign: CreatedCampaign;
  readonly startMs: number;
  /** Infinity for a campaign without an end. */
  readonly endMs: number;
}

/**
 * The campaign activity is registered against: it must exist (NOT_FOUND), be the one the command
 * names and be ACTIVE (BAD_USER_INPUT otherwise).
 */
export function activeCampaign(campaign: CampaignState, campaignId: unknown, field: string): CreatedCampaign {
  const id = validateId(campaignId, field);
  if (!campaign.created) throw notFound('campaign', id);
  if (campaign.campaignId !== id) {
    throw badInput(`${field} ${id} does not match campaign ${campaign.campaignId}`, field);
  }
  if (campaign.status !== 'ACTIVE') {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `campaign ${id} is ${campaign.status}; activity is accepted only while it is ACTIVE`, {
      field,
      status: campaign.status,
    });
  }
  return campaign;
}

/** The activity window of a created campaign. */
export const activityWindow = (campaign: CreatedCampaign): ActivityWindow => ({
  campaign,
  startMs: Date.parse(campaign.startsAt),
  endMs: campaign.endsAt === null ? Number.POSITIVE_INFINITY : Date.parse(campaign.endsAt),
});

/**
 * Validates `occurredAt` against the campaign window [startsAt, endsAt) and against `now`
 * (at most {@link MAX_CLOCK_SKEW_MS} in the future). Returns `occurredAt` as UTC ISO. Error
 * fields are `<prefix>occurredAt` and `<prefix>now`.
 */
export function occurredWithin(window: ActivityWindow, occurredAt: unknown, now: unknown, prefix: string): string {
  const at = validateInstant(occurredAt, `${prefix}occurredAt`);
  const nowMs = validateInstantMs(now, `${prefix}now`);
  const { campaign } = window;
  const field = `${prefix}occurredAt`;
  if (at.ms < window.startMs) {
    throw badInput(`${field} ${at.iso} is before campaign ${campaign.campaignId} starts (${campaign.startsAt})`, field);
  }
  if (at.ms >= window.endMs) {
    throw badInput(`${field} ${at.iso} is not before campaign ${campaign.campaignId} ends (${campaign.endsAt})`, field);
  }
  if (at.ms > nowMs + MAX_CLOCK_SKEW_MS) {
    throw badInput(`${field} ${at.iso} is in the future (now is ${new Date(nowMs).toISOString()})`, field);
  }
  return at.iso;
}

/** Checks that the influencer is registered (NOT_FOUND otherwise). */
export function ensureInfluencer(influencerExists: InfluencerExists, influencerId: string): void {
  if (!influencerExists(influencerId)) throw notFound('influencer', influencerId);
}
