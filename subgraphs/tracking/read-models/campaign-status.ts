import type { CampaignStatus } from '../domain/index.js';
import type { CampaignRow } from './rows.js';

/**
 * The status a campaign reads with at `nowMs`: once its end has passed it is ENDED, whether or not
 * anyone ended it, since it accepts no more activity. The stored status is what commands changed.
 */
export function campaignStatusAt(campaign: Pick<CampaignRow, 'status' | 'endsAt'>, nowMs: number): CampaignStatus {
  if (campaign.status !== 'ENDED' && campaign.endsAt !== null && campaign.endsAt.getTime() <= nowMs) return 'ENDED';
  return campaign.status;
}

/**
 * A Prisma filter of the campaigns that read with `status` at `now` (see {@link campaignStatusAt}):
 * ENDED takes stored ENDED and every campaign past its end; the others exclude those past their end.
 */
export function campaignStatusFilter(status: CampaignStatus, now: Date) {
  if (status === 'ENDED') return { OR: [{ status: 'ENDED' }, { endsAt: { lte: now } }] };
  return { status, OR: [{ endsAt: null }, { endsAt: { gt: now } }] };
}
