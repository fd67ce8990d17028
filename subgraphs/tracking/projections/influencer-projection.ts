import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { INFLUENCER_CATEGORY, type InfluencerRegistered, type Platform } from '../domain/index.js';

/** An `influencers` row. */
export interface InfluencerRow {
  readonly id: string;
  readonly handle: string;
  readonly platform: Platform;
  readonly version: number;
  readonly position: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Influencers read model, from the `influencer-<id>` streams. */
export const influencerProjection: StreamProjection<InfluencerRow | undefined, InfluencerRow> = {
  name: 'influencers',
  category: INFLUENCER_CATEGORY,
  tables: ['influencers'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent) {
    if (event.type === 'InfluencerRegistered') {
      const data = event.data as InfluencerRegistered['data'];
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
    await sql.query(
      `INSERT INTO influencers (id, handle, platform, version, position, created_at, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET handle = EXCLUDED.handle, platform = EXCLUDED.platform, version = EXCLUDED.version,
         position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.handle),
        rows.map((row) => row.platform),
        rows.map((row) => row.version),
        rows.map((row) => row.position),
        rows.map((row) => row.createdAt.toISOString()),
        rows.map((row) => row.updatedAt.toISOString()),
      ],
    );
  },
};
