import type { ProductRow, ReservationRow, StockLevelRow, StoreRow } from '../projections/index.js';

export type { ProductRow, ReservationRow, StockLevelRow, StoreRow };

/** Units that can still be sold or reserved. */
export const availableOf = (level: Pick<StockLevelRow, 'total' | 'reserved'>): number => level.total - level.reserved;

export const isLowLevel = (level: Pick<StockLevelRow, 'total' | 'reserved' | 'lowStockThreshold'>): boolean => availableOf(level) <= level.lowStockThreshold;
