import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import type { CommandOptions } from '../commands/inventory-commands.js';
import type { InventoryContext } from '../context.js';

type StockInput = { productId: string; storeId: string } & CommandOptions;

async function freshStockLevel(ctx: InventoryContext, productId: string, storeId: string) {
  const key = { productId, storeId };
  ctx.loaders.stockLevel.clear(key);
  ctx.loaders.stockLevelsByProduct.clear(productId);
  ctx.loaders.stockLevelsByStore.clear(storeId);
  ctx.loaders.reservationsByStock.clear(key);
  return ctx.loaders.stockLevel.load(key);
}

async function stockPayload(ctx: InventoryContext, productId: string, storeId: string, outcome: CommandOutcome) {
  return { stockLevel: await freshStockLevel(ctx, productId, storeId), events: outcome.events, replayed: outcome.replayed };
}

async function reservationPayload(
  ctx: InventoryContext,
  key: { productId: string; storeId: string },
  reservationId: string,
  outcome: CommandOutcome,
) {
  const stockLevel = await freshStockLevel(ctx, key.productId, key.storeId);
  ctx.loaders.reservation.clear(reservationId);
  return { reservation: await ctx.loaders.reservation.load(reservationId), stockLevel, events: outcome.events, replayed: outcome.replayed };
}

/** Mutation resolvers: each runs one command and returns the committed read model and its events. */
export const mutationResolvers = {
  async registerProduct(
    _: unknown,
    { input }: { input: { id?: string | null; sku: string; name: string; description?: string | null } & CommandOptions },
    ctx: InventoryContext,
  ) {
    const { productId, outcome } = await ctx.commands.registerProduct(input, ctx.metadata);
    ctx.loaders.product.clear(productId);
    return { product: await ctx.loaders.product.load(productId), events: outcome.events, replayed: outcome.replayed };
  },
  async registerStore(
    _: unknown,
    { input }: { input: { id?: string | null; name: string; location?: string | null } & CommandOptions },
    ctx: InventoryContext,
  ) {
    const { storeId, outcome } = await ctx.commands.registerStore(input, ctx.metadata);
    ctx.loaders.store.clear(storeId);
    return { store: await ctx.loaders.store.load(storeId), events: outcome.events, replayed: outcome.replayed };
  },
  async addStock(_: unknown, { input }: { input: StockInput & { quantity: number } }, ctx: InventoryContext) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.addStock(input, ctx.metadata));
  },
  async removeStock(_: unknown, { input }: { input: StockInput & { quantity: number; reason: string } }, ctx: InventoryContext) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.removeStock(input, ctx.metadata));
  },
  async setLowStockThreshold(_: unknown, { input }: { input: StockInput & { threshold: number } }, ctx: InventoryContext) {
    return stockPayload(ctx, input.productId, input.storeId, await ctx.commands.setLowStockThreshold(input, ctx.metadata));
  },
  async reserveStock(
    _: unknown,
    {
      input,
    }: {
      input: StockInput & { quantity: number; customerId: string; ttlSeconds?: number | null; reservationId?: string | null };
    },
    ctx: InventoryContext,
  ) {
    const { reservationId, outcome } = await ctx.commands.reserveStock(input, ctx.metadata);
    return reservationPayload(ctx, input, reservationId, outcome);
  },
  async confirmReservation(_: unknown, { input }: { input: { reservationId: string } & CommandOptions }, ctx: InventoryContext) {
    const { outcome, ...key } = await ctx.commands.confirmReservation(input, ctx.metadata);
    return reservationPayload(ctx, key, input.reservationId, outcome);
  },
  async releaseReservation(_: unknown, { input }: { input: { reservationId: string } & CommandOptions }, ctx: InventoryContext) {
    const { outcome, ...key } = await ctx.commands.releaseReservation(input, ctx.metadata);
    return reservationPayload(ctx, key, input.reservationId, outcome);
  },
};
