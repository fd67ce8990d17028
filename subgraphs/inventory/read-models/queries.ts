import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import { foldStream } from '../../shared/projections/stream-projection.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { badInput } from '../../shared/errors/codes.js';
import { stockStreamId } from '../domain/index.js';
import { stockProjection, type ProductRow, type StockLevelRow, type StoreRow } from '../projections/index.js';
import { stockLevelFromPrisma } from './rows.js';

const MAX_SEARCH_LENGTH = 200;

/** Read-side queries that are lists or time travel (single lookups go through the loaders). */
export function inventoryQueries(platform: Platform) {
  const { prisma } = platform.db;
  return {
    async products(args: { first?: number | null; after?: string | null; search?: string | null }): Promise<Connection<ProductRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      if (args.search && args.search.length > MAX_SEARCH_LENGTH) throw badInput('search is too long', 'search');
      const rows = await prisma.product.findMany({
        where: {
          AND: [
            args.search
              ? { OR: [{ name: { contains: args.search, mode: 'insensitive' as const } }, { sku: { startsWith: args.search } }] }
              : {},
            after
              ? {
                  OR: [
                    { createdAt: { lt: new Date(String(after[0])) } },
                    { createdAt: new Date(String(after[0])), id: { lt: String(after[1]) } },
                  ],
                }
              : {},
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    async stores(args: { first?: number | null; after?: string | null }): Promise<Connection<StoreRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      const rows = await prisma.store.findMany({
        where: after ? { id: { gt: String(after[0]) } } : {},
        orderBy: { id: 'asc' },
        take: size + 1,
      });
      return toConnection(rows, size, (row) => [row.id]);
    },

    async lowStock(args: { storeId?: string | null; first?: number | null; after?: string | null }): Promise<Connection<StockLevelRow>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      // available ≤ threshold compares two columns, which Prisma's filters cannot express.
      const rows = await platform.db.sql.query<{
        product_id: string; store_id: string; total: number; reserved: number; low_stock_threshold: number;
        version: number; position: string; updated_at: Date;
      }>(
        `SELECT * FROM stock_levels
         WHERE total - reserved <= low_stock_threshold
           AND ($1::text IS NULL OR store_id = $1)
           AND ($2::text IS NULL OR (product_id, store_id) > ($2::text, $3::text))
         ORDER BY product_id, store_id LIMIT $4`,
        [args.storeId ?? null, after ? String(after[0]) : null, after ? String(after[1]) : null, size + 1],
      );
      const levels = rows.map((row) =>
        stockLevelFromPrisma({
          productId: row.product_id,
          storeId: row.store_id,
          total: row.total,
          reserved: row.reserved,
          lowStockThreshold: row.low_stock_threshold,
          version: row.version,
          position: BigInt(row.position),
          updatedAt: row.updated_at,
        }),
      );
      return toConnection(levels, size, (level) => [level.productId, level.storeId]);
    },

    /** The stock level as of `at`, folded from the stream with the same projection as the read model. */
    async stockLevelAt(productId: string, storeId: string, at: Date): Promise<StockLevelRow | null> {
      const events = await platform.store.readStream(stockStreamId(productId, storeId), { until: at });
      return foldStream(stockProjection, events).level ?? null;
    },

    async stockLevelHistory(
      productId: string,
      storeId: string,
      args: { first?: number | null; after?: string | null },
    ): Promise<Connection<RecordedEvent>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      const events = await platform.store.readStream(stockStreamId(productId, storeId), {
        afterVersion: after ? Number(after[0]) : 0,
      });
      return toConnection(events.slice(0, size + 1), size, (event) => [event.version]);
    },
  };
}

export type InventoryQueries = ReturnType<typeof inventoryQueries>;
