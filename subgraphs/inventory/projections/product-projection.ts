import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { PRODUCT_CATEGORY, type ProductRegistered } from '../domain/index.js';

/** A `products` row. */
export interface ProductRow {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Products read model: one row per registered product. */
export const productProjection: StreamProjection<ProductRow | undefined, ProductRow> = {
  name: 'products',
  category: PRODUCT_CATEGORY,
  tables: ['products'],
  initial: () => undefined,
  evolve(row, event: RecordedEvent) {
    if (event.type === 'ProductRegistered') {
      const data = event.data as ProductRegistered['data'];
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
    await sql.query(
      `INSERT INTO products (id, sku, name, description, version, created_at, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name, description = EXCLUDED.description,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.sku),
        rows.map((row) => row.name),
        rows.map((row) => row.description),
        rows.map((row) => row.version),
        rows.map((row) => row.createdAt.toISOString()),
        rows.map((row) => row.updatedAt.toISOString()),
      ],
    );
  },
};
