import { availableOf, isLowLevel } from '../read-models/rows.js';
import { totalAvailableOf } from '../read-models/total-available.js';
import { selects } from '../../shared/graphql/selection.js';
import type { Resolvers } from './resolvers-types.generated.js';
import { eventId, stockLevelId } from './identities.js';

/** Field resolvers of the inventory entities, including federation's `__resolveReference`. */
export const entityResolvers: Resolvers = {
  Product: {
    __resolveReference: (reference, ctx) => ctx.loaders.product.load(reference.id),
    stockLevels: (product, _args, ctx, info) => ctx.loaders.stockLevelsByProduct.load({ key: product.id, joined: selects(info, ['store']) }),
    totalAvailable: (product, _args, ctx) => totalAvailableOf(product, () => ctx.loaders.stockLevelsByProduct.load({ key: product.id, joined: false })),
  },
  Store: {
    __resolveReference: (reference, ctx) => ctx.loaders.store.load(reference.id),
    stockLevels: (store, _args, ctx) => ctx.loaders.stockLevelsByStore.load(store.id),
  },
  StockLevel: {
    __resolveReference: (reference, ctx) => ctx.loaders.stockLevel.load({ productId: reference.productId, storeId: reference.storeId }),
    id: stockLevelId,
    available: (level) => availableOf(level),
    isLow: (level) => isLowLevel(level),
    product: (level, _args, ctx) => ctx.loaders.product.load(level.productId),
    store: (level, _args, ctx) => ctx.loaders.store.load(level.storeId),
    reservations: async (level, args, ctx) => {
      const rows = await ctx.loaders.reservationsByStock.load({ productId: level.productId, storeId: level.storeId });
      return args.status ? rows.filter((row) => row.status === args.status) : rows;
    },
  },
  Reservation: {
    __resolveReference: (reference, ctx) => ctx.loaders.reservation.load(reference.id),
    product: (reservation, _args, ctx) => ctx.loaders.product.load(reservation.productId),
    store: (reservation, _args, ctx) => ctx.loaders.store.load(reservation.storeId),
  },
  InventoryEvent: {
    id: eventId,
  },
};
