import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Row } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { INFLUENCER_CATEGORY, INFLUENCER_EVENTS, type InfluencerEvent } from '../domain/index.js';

/** An `influencers` row. */
export type InfluencerRow = Row<'influencers'>;

/** Influencers read model, from the `influencer-<id>` streams. */
export const influencerProjection: StreamProjection<InfluencerRow | undefined, InfluencerRow, InfluencerEvent> = {
  name: 'influencers',
  category: INFLUENCER_CATEGORY,
  events: INFLUENCER_EVENTS,
  tables: ['influencers'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent<InfluencerEvent>) {
    if (event.type === 'InfluencerRegistered') {
      const { data } = event;
      return {
        id: data.influencerId,
        handle: data.handle,
        platform: data.platform,
        version: event.version,
        position: event.position,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
    }
    return row ? { ...row, version: event.version, position: event.position, updatedAt: event.occurredAt } : row;
  },
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    await insertRows(kyselyOver(sql), 'influencers', rows)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('influencers', columnsExcept('influencers', ['id', 'createdAt']))))
      .execute();
  },
};
