import type { InventoryContext } from '../context.js';
import { availableOf, isLowLevel, type ProductRow, type ReservationRow, type StockLevelRow, type StoreRow } from '../read-models/rows.js';
import { eventId, stockLevelId } from './identities.js';

/** Field resolvers of the inventory entities, including federation's `__resolveReference`. */
export const entityResolvers = {
  Product: {
    __resolveReference: (reference: { id: string }, ctx: InventoryContext) => ctx.loaders.product.load(reference.id),
    stockLevels: (product: ProductRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.stockLevelsByProduct.load(product.id),
    totalAvailable: async (product: ProductRow, _args: unknown, ctx: InventoryContext) => {
      const levels = await ctx.loaders.stockLevelsByProduct.load(product.id);
      return levels.reduce((sum, level) => sum + availableOf(level), 0);
    },
  },
  Store: {
    __resolveReference: (reference: { id: string }, ctx: InventoryContext) => ctx.loaders.store.load(reference.id),
    stockLevels: (store: StoreRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.stockLevelsByStore.load(store.id),
  },
  StockLevel: {
    __resolveReference: (reference: { productId: string; storeId: string }, ctx: InventoryContext) =>
      ctx.loaders.stockLevel.load({ productId: reference.productId, storeId: reference.storeId }),
    id: stockLevelId,
    available: (level: StockLevelRow) => availableOf(level),
    isLow: (level: StockLevelRow) => isLowLevel(level),
    product: (level: StockLevelRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.product.load(level.productId),
    store: (level: StockLevelRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.store.load(level.storeId),
    reservations: async (level: StockLevelRow, args: { status?: string | null }, ctx: InventoryContext) => {
      const rows = await ctx.loaders.reservationsByStock.load({ productId: level.productId, storeId: level.storeId });
      return args.status ? rows.filter((row) => row.status === args.status) : rows;
    },
  },
  Reservation: {
    __resolveReference: (reference: { id: string }, ctx: InventoryContext) => ctx.loaders.reservation.load(reference.id),
    product: (reservation: ReservationRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.product.load(reservation.productId),
    store: (reservation: ReservationRow, _args: unknown, ctx: InventoryContext) => ctx.loaders.store.load(reservation.storeId),
  },
  InventoryEvent: {
    id: eventId,
  },
};
