import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Tables } from '../../shared/database/kysely/database.js';
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
 * The condition on `campaigns` of the campaigns that read with `status` at `now` (see
 * {@link campaignStatusAt}): ENDED takes stored ENDED and every campaign past its end; the others
 * exclude those past their end.
 */
export function campaignStatusFilter(status: CampaignStatus, now: Date) {
  return (eb: ExpressionBuilder<Tables, 'campaigns'>): Expression<SqlBool> =>
    status === 'ENDED'
      ? eb.or([eb('status', '=', 'ENDED'), eb('endsAt', '<=', now)])
      : eb.and([eb('status', '=', status), eb.or([eb('endsAt', 'is', null), eb('endsAt', '>', now)])]);
}
