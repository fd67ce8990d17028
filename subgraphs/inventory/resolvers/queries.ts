import type { InventoryContext } from '../context.js';
import { inventoryQueries, type InventoryQueries } from '../read-models/queries.js';
import { asPastStockLevel } from './identities.js';

type Page = { first?: number | null; after?: string | null };

/** Query resolvers; list queries are built once per subgraph. */
export function queryResolvers(queries: InventoryQueries) {
  return {
    product: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.product.load(args.id),
    products: (_: unknown, args: Page & { search?: string | null }) => queries.products(args),
    store: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.store.load(args.id),
    stores: (_: unknown, args: Page) => queries.stores(args),
    stockLevel: (_: unknown, args: { productId: string; storeId: string }, ctx: InventoryContext) =>
      ctx.loaders.stockLevel.load({ productId: args.productId, storeId: args.storeId }),
    lowStock: (_: unknown, args: Page & { storeId?: string | null }) => queries.lowStock(args),
    reservation: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.reservation.load(args.id),
    stockLevelAt: async (_: unknown, args: { productId: string; storeId: string; at: Date }) =>
      asPastStockLevel(await queries.stockLevelAt(args.productId, args.storeId, args.at)),
    stockLevelHistory: (_: unknown, args: Page & { productId: string; storeId: string }) =>
      queries.stockLevelHistory(args.productId, args.storeId, args),
  };
}

export { inventoryQueries };
