import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { STORE_CATEGORY, type StoreRegistered } from '../domain/index.js';

/** A `stores` row. */
export interface StoreRow {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Stores read model: one row per registered store. */
export const storeProjection: StreamProjection<StoreRow | undefined, StoreRow> = {
  name: 'stores',
  category: STORE_CATEGORY,
  tables: ['stores'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent) {
    if (event.type === 'StoreRegistered') {
      const data = event.data as StoreRegistered['data'];
      return {
        id: data.storeId,
        name: data.name,
        location: data.location ?? '',
        version: event.version,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
    }
    return row ? { ...row, version: event.version, updatedAt: event.occurredAt } : row;
  },
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    await sql.query(
      `INSERT INTO stores (id, name, location, version, created_at, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, location = EXCLUDED.location,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.name),
        rows.map((row) => row.location),
        rows.map((row) => row.version),
        rows.map((row) => row.createdAt.toISOString()),
        rows.map((row) => row.updatedAt.toISOString()),
      ],
    );
  },
};
