import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Row } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { STORE_CATEGORY, STORE_EVENTS, type StoreEvent } from '../domain/index.js';

/** A `stores` row. */
export type StoreRow = Row<'stores'>;

/** Stores read model: one row per registered store. */
export const storeProjection: StreamProjection<StoreRow | undefined, StoreRow, StoreEvent> = {
  name: 'stores',
  category: STORE_CATEGORY,
  events: STORE_EVENTS,
  tables: ['stores'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent<StoreEvent>) {
    if (event.type === 'StoreRegistered') {
      const { data } = event;
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
    await insertRows(kyselyOver(sql), 'stores', rows)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('stores', columnsExcept('stores', ['id', 'createdAt']))))
      .execute();
  },
};
