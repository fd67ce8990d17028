import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import {
  CAMPAIGN_CATEGORY,
  campaignDecider,
  minorOf,
  type CampaignEvent,
  type CampaignState,
  type CampaignStatus,
} from '../domain/index.js';

/** A `campaigns` row. */
export interface CampaignRow {
  readonly id: string;
  readonly name: string;
  readonly status: CampaignStatus;
  /** Budget in minor units, with its currency; both null without a budget. */
  readonly budgetMinor: number | null;
  readonly budgetCurrency: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly productId: string | null;
  readonly version: number;
  /** Global position of the last campaign event applied. */
  readonly position: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What one campaign stream folds to: the decider's state and the row it stands for. */
export interface CampaignProjectionState {
  readonly state: CampaignState;
  readonly row: CampaignRow | undefined;
}

/** Applies one campaign event (pure). */
export function evolveCampaignProjection(current: CampaignProjectionState, event: RecordedEvent): CampaignProjectionState {
  const state = campaignDecider.evolve(current.state, event as unknown as CampaignEvent);
  if (!state.created) return { state, row: current.row };
  const row: CampaignRow = {
    id: state.campaignId,
    name: state.name,
    status: state.status,
    budgetMinor: state.budget ? minorOf(state.budget) : null,
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
export const campaignProjection: StreamProjection<CampaignProjectionState, CampaignRow> = {
  name: 'campaigns',
  category: CAMPAIGN_CATEGORY,
  tables: ['campaigns'],
  initial: () => ({ state: campaignDecider.initialState(), row: undefined }),
  evolve: evolveCampaignProjection,
  toRows: (projected) => (projected.row ? [projected.row] : []),
  async write(sql: SqlClient, rows) {
    await sql.query(
      `INSERT INTO campaigns (id, name, status, budget_minor, budget_currency, starts_at, ends_at, product_id, version, position, created_at, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                            $8::text[], $9::int[], $10::bigint[], $11::timestamptz[], $12::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, budget_minor = EXCLUDED.budget_minor,
         budget_currency = EXCLUDED.budget_currency, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
         product_id = EXCLUDED.product_id, version = EXCLUDED.version, position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.name),
        rows.map((row) => row.status),
        rows.map((row) => row.budgetMinor),
        rows.map((row) => row.budgetCurrency),
        rows.map((row) => row.startsAt.toISOString()),
        rows.map((row) => (row.endsAt ? row.endsAt.toISOString() : null)),
        rows.map((row) => row.productId),
        rows.map((row) => row.version),
        rows.map((row) => row.position),
        rows.map((row) => row.createdAt.toISOString()),
        rows.map((row) => row.updatedAt.toISOString()),
      ],
    );
  },
};
