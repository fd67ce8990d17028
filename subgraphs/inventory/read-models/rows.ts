import type { ProductRow, ReservationRow, StockLevelRow, StoreRow } from '../projections/index.js';

/** Prisma returns bigint for BIGINT columns; the API carries positions as decimal strings. */
export function stockLevelFromPrisma(row: {
  productId: string;
  storeId: string;
  total: number;
  reserved: number;
  lowStockThreshold: number;
  version: number;
  position: bigint;
  updatedAt: Date;
}): StockLevelRow {
  return { ...row, position: row.position.toString() };
}

export type { ProductRow, ReservationRow, StockLevelRow, StoreRow };

/** Units that can still be sold or reserved. */
export const availableOf = (level: Pick<StockLevelRow, 'total' | 'reserved'>): number => level.total - level.reserved;

export const isLowLevel = (level: Pick<StockLevelRow, 'total' | 'reserved' | 'lowStockThreshold'>): boolean =>
  availableOf(level) <= level.lowStockThreshold;
