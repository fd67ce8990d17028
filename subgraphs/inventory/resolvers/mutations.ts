import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { requiredRow } from '../../shared/graphql/required-row.js';
import type { InventoryContext } from '../context.js';
import type { MutationResolvers } from './resolvers-types.generated.js';

/** The committed stock level, bypassing what this request's loaders cached before the change. */
async function freshStockLevel(ctx: InventoryContext, productId: string, storeId: string) {
  const key = { productId, storeId };
  ctx.loaders.clearAll();
  return requiredRow(await ctx.loaders.stockLevel.load(key), `stock level ${productId}:${storeId}`);
}

async function stockPayload(ctx: InventoryContext, productId: string, storeId: string, outcome: CommandOutcome) {
  return { stockLevel: await freshStockLevel(ctx, productId, storeId), events: outcome.events, replayed: outcome.replayed };
}

async function reservationPayload(ctx: InventoryContext, key: { productId: string; storeId: string }, reservationId: string, outcome: CommandOutcome) {
  // freshStockLevel cleared the reservation loader too.
  const stockLevel = await freshStockLevel(ctx, key.productId, key.storeId);
  const reservation = requiredRow(await ctx.loaders.reservation.load(reservationId), `reservation ${reservationId}`);
  return { reservation, stockLevel, events: outcome.events, replayed: outcome.replayed };
}

/** Mutation resolvers: each runs one command and returns the committed read model and its events. */
export const mutationResolvers: Required<MutationResolvers> = {
  async registerProduct(_, { input }, ctx) {
    const { productId, outcome } = await ctx.commands.registerProduct(input, ctx.metadata);
    ctx.loaders.clearAll();
    const product = requiredRow(await ctx.loaders.product.load(productId), `product ${productId}`);
    return { product, events: outcome.events, replayed: outcome.replayed };
  },
  async registerStore(_, { input }, ctx) {
    const { storeId, outcome } = await ctx.commands.registerStore(input, ctx.metadata);
    ctx.loaders.clearAll();
    const store = requiredRow(await ctx.loaders.store.load(storeId), `store ${storeId}`);
    return { store, events: outcome.events, replayed: outcome.replayed };
  },
  async addStock(_, { input }, ctx) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.addStock(input, ctx.metadata));
  },
  async removeStock(_, { input }, ctx) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.removeStock(input, ctx.metadata));
  },
  async setLowStockThreshold(_, { input }, ctx) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.setLowStockThreshold(input, ctx.metadata));
  },
  async reserveStock(_, { input }, ctx) {
    const { reservationId, outcome } = await ctx.commands.reserveStock(input, ctx.metadata);
    return reservationPayload(ctx, input, reservationId, outcome);
  },
  async confirmReservation(_, { input }, ctx) {
    const { outcome, ...key } = await ctx.commands.confirmReservation(input, ctx.metadata);
    return reservationPayload(ctx, key, input.reservationId, outcome);
  },
  async releaseReservation(_, { input }, ctx) {
    const { outcome, ...key } = await ctx.commands.releaseReservation(input, ctx.metadata);
    return reservationPayload(ctx, key, input.reservationId, outcome);
  },
};
