import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Row } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { PRODUCT_CATEGORY, PRODUCT_EVENTS, type ProductEvent } from '../domain/index.js';

/** A `products` row. */
export type ProductRow = Row<'products'>;

/** Products read model: one row per registered product. */
export const productProjection: StreamProjection<ProductRow | undefined, ProductRow, ProductEvent> = {
  name: 'products',
  category: PRODUCT_CATEGORY,
  events: PRODUCT_EVENTS,
  tables: ['products'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent<ProductEvent>) {
    if (event.type === 'ProductRegistered') {
      const { data } = event;
      return {
        id: data.productId,
        sku: data.sku,
        name: data.name,
        description: data.description ?? '',
        version: event.version,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
    }
    return row ? { ...row, version: event.version, updatedAt: event.occurredAt } : row;
  },
  toRows: (row) => (row ? [row] : []),
  async write(sql: SqlClient, rows) {
    await insertRows(kyselyOver(sql), 'products', rows)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('products', columnsExcept('products', ['id', 'createdAt']))))
      .execute();
  },
};
