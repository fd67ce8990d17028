import { inventoryQueries, type InventoryQueries } from '../read-models/queries.js';
import type { QueryResolvers } from './resolvers-types.generated.js';
import { asPastStockLevel } from './identities.js';
import { selects } from '../../shared/graphql/selection.js';

/** Query resolvers; list queries are built once per subgraph. */
export function queryResolvers(queries: InventoryQueries): Required<QueryResolvers> {
  return {
    product: (_, args, ctx) => ctx.loaders.product.load(args.id),
    // The page sums the totals itself only when its stock levels are not read anyway.
    products: (_, args, _ctx, info) =>
      queries.products(args, { totals: selects(info, ['edges', 'node', 'totalAvailable']) && !selects(info, ['edges', 'node', 'stockLevels']) }),
    store: (_, args, ctx) => ctx.loaders.store.load(args.id),
    stores: (_, args) => queries.stores(args),
    stockLevel: (_, args, ctx) => ctx.loaders.stockLevel.load({ productId: args.productId, storeId: args.storeId }),
    lowStock: (_, args) => queries.lowStock(args),
    reservation: (_, args, ctx) => ctx.loaders.reservation.load(args.id),
    stockLevelAt: async (_, args) => asPastStockLevel(await queries.stockLevelAt(args.productId, args.storeId, args.at)),
    stockLevelHistory: (_, args) => queries.stockLevelHistory(args.productId, args.storeId, args),
  };
}

export { inventoryQueries };
