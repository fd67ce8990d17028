/** The inventory page's operations. */
import { operation } from '../apollo/operations.js';
import type { InventoryData, LowStockLiveData, StockLevel, StockLevelLiveData } from '../apollo/types.js';

type StockKey = { productId: string; storeId: string };

export const INVENTORY = operation<InventoryData>('DashboardInventory');
export const STOCK_LEVEL_LIVE = operation<StockLevelLiveData, StockKey & { after?: string | null }>('DashboardStockLevel');
export const LOW_STOCK_LIVE = operation<LowStockLiveData, { after?: string | null }>('DashboardLowStock');
export const ADD_STOCK = operation<{ addStock: { stockLevel: StockLevel; replayed: boolean } }, { input: StockKey & { quantity: number } }>(
  'DashboardAddStock',
);
export const RESERVE_STOCK = operation<
  { reserveStock: { reservation: { id: string; status: string; quantity: number; expiresAt: string }; stockLevel: StockLevel } },
  { input: StockKey & { quantity: number; customerId: string; ttlSeconds?: number } }
>('DashboardReserveStock');
