import DataLoader from 'dataloader';
import type { PrismaClient } from '../../shared/database/connect.js';
import { byId, groupBy } from '../../shared/graphql/batch-results.js';
import type { ProductRow, ReservationRow, StockLevelRow, StoreRow } from './rows.js';
import { stockLevelFromPrisma } from './rows.js';

/** Key of a stock level. */
export interface StockKey {
  readonly productId: string;
  readonly storeId: string;
}

const stockKey = (key: StockKey) => `${key.productId}\u0000${key.storeId}`;

/**
 * Per-request batch loaders: every entity lookup of one request, `__resolveReference` included,
 * becomes one SQL query per entity type and tick.
 */
export function createInventoryLoaders(prisma: PrismaClient) {
  return {
    product: new DataLoader<string, ProductRow | null>(async (ids) =>
      byId(ids, await prisma.product.findMany({ where: { id: { in: [...ids] } } })),
    ),
    store: new DataLoader<string, StoreRow | null>(async (ids) =>
      byId(ids, await prisma.store.findMany({ where: { id: { in: [...ids] } } })),
    ),
    reservation: new DataLoader<string, ReservationRow | null>(async (ids) =>
      byId(ids, await prisma.reservation.findMany({ where: { id: { in: [...ids] } } })),
    ),
    stockLevel: new DataLoader<StockKey, StockLevelRow | null, string>(
      async (keys) => {
        const rows = await prisma.stockLevel.findMany({
          where: { OR: keys.map((key) => ({ productId: key.productId, storeId: key.storeId })) },
        });
        const found = new Map(rows.map((row) => [stockKey(row), stockLevelFromPrisma(row)]));
        return keys.map((key) => found.get(stockKey(key)) ?? null);
      },
      { cacheKeyFn: stockKey },
    ),
    stockLevelsByProduct: new DataLoader<string, StockLevelRow[]>(async (productIds) => {
      const rows = await prisma.stockLevel.findMany({
        where: { productId: { in: [...productIds] } },
        orderBy: [{ productId: 'asc' }, { storeId: 'asc' }],
      });
      return groupBy(productIds, rows.map(stockLevelFromPrisma), (row) => row.productId);
    }),
    stockLevelsByStore: new DataLoader<string, StockLevelRow[]>(async (storeIds) => {
      const rows = await prisma.stockLevel.findMany({
        where: { storeId: { in: [...storeIds] } },
        orderBy: [{ storeId: 'asc' }, { productId: 'asc' }],
      });
      return groupBy(storeIds, rows.map(stockLevelFromPrisma), (row) => row.storeId);
    }),
    reservationsByStock: new DataLoader<StockKey, ReservationRow[], string>(
      async (keys) => {
        const rows = await prisma.reservation.findMany({
          where: { OR: keys.map((key) => ({ productId: key.productId, storeId: key.storeId })) },
          orderBy: { createdAt: 'asc' },
        });
        return groupBy(keys.map(stockKey), rows, stockKey);
      },
      { cacheKeyFn: stockKey },
    ),
  };
}

export type InventoryLoaders = ReturnType<typeof createInventoryLoaders>;

/**
 * Empties every loader's cache. graphql-ws keeps one context per subscription, so a streamed item
 * would otherwise be resolved with rows cached for an earlier one.
 */
export function clearLoaders(loaders: InventoryLoaders): void {
  for (const loader of Object.values(loaders)) loader.clearAll();
}
