import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Row } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { CAMPAIGN_CATEGORY, CAMPAIGN_EVENTS, campaignDecider, minorOf, type CampaignEvent, type CampaignState } from '../domain/index.js';

/** A `campaigns` row (its budget in minor units with its currency, both null without a budget). */
export type CampaignRow = Row<'campaigns'>;

/** What one campaign stream folds to: the decider's state and the row it stands for. */
export interface CampaignProjectionState {
  readonly state: CampaignState;
  readonly row: CampaignRow | undefined;
}

/** Applies one campaign event (pure). */
export function evolveCampaignProjection(current: CampaignProjectionState, event: RecordedEvent<CampaignEvent>): CampaignProjectionState {
  const state = campaignDecider.evolve(current.state, event);
  if (!state.created) return { state, row: current.row };
  const row: CampaignRow = {
    id: state.campaignId,
    name: state.name,
    status: state.status,
    budgetMinor: state.budget ? String(minorOf(state.budget)) : null,
    budgetCurrency: state.budget?.currency ?? null,
    startsAt: new Date(state.startsAt),
    endsAt: state.endsAt === null ? null : new Date(state.endsAt),
    productId: state.productId,
    version: event.version,
    position: event.position,
    createdAt: current.row?.createdAt ?? event.occurredAt,
    updatedAt: event.occurredAt,
  };
  return { state, row };
}

/** Campaigns read model, from the `campaign-<id>` streams (folded whole: they are short). */
export const campaignProjection: StreamProjection<CampaignProjectionState, CampaignRow, CampaignEvent> = {
  name: 'campaigns',
  category: CAMPAIGN_CATEGORY,
  events: CAMPAIGN_EVENTS,
  tables: ['campaigns'],
  initial: () => ({ state: campaignDecider.initialState(), row: undefined }),
  evolve: evolveCampaignProjection,
  toRows: (projected) => (projected.row ? [projected.row] : []),
  async write(sql: SqlClient, rows) {
    await insertRows(kyselyOver(sql), 'campaigns', rows)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('campaigns', columnsExcept('campaigns', ['id', 'createdAt']))))
      .execute();
  },
};
