import { mapAsync } from '../../shared/live/live-events.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { freshItem } from '../../shared/graphql/request-loaders.js';
import type { ItemSubscriptions } from '../../shared/graphql/subscriptions.js';
import { SqlSnapshotStore } from '../../shared/snapshots/sql-snapshot-store.js';
import { PRODUCT_CATEGORY, STOCK_CATEGORY, STOCK_EVENTS, STORE_CATEGORY, stockStreamId } from '../domain/index.js';
import type { InventoryContext } from '../context.js';
import { availableOf, isLowLevel } from '../read-models/rows.js';
import type { SubscriptionResolvers } from './resolvers-types.generated.js';
import { StockLevelTracker } from './stock-level-tracker.js';

/**
 * Subscription resolvers. Each streams the live read model (or event), carries its position, and
 * accepts `after` to resume: replay from the store, then live, without gaps or duplicates.
 */
export const subscriptionResolvers: ItemSubscriptions<SubscriptionResolvers, InventoryContext> = {
  stockLevelChanged: {
    subscribe: async (_, args, ctx) => {
      const streamId = stockStreamId(args.productId, args.storeId);
      const events = await ctx.platform.live({
        categories: [STOCK_CATEGORY],
        after: args.after ?? null,
        stream: streamId,
        events: STOCK_EVENTS,
        filter: (event) => event.streamId === streamId,
      });
      const tracker = new StockLevelTracker(ctx.platform.store.withEvents(STOCK_EVENTS), new SqlSnapshotStore(ctx.platform.db.sql));
      return mapAsync(events, async (event) => {
        return (await tracker.apply(event)).after;
      });
    },
    resolve: freshItem,
  },
  lowStockAlerts: {
    subscribe: async (_, args, ctx) => {
      const events = await ctx.platform.live({
        categories: [STOCK_CATEGORY],
        after: args.after ?? null,
        events: STOCK_EVENTS,
        filter: (event) => !args.storeId || event.data.storeId === args.storeId,
      });
      const tracker = new StockLevelTracker(ctx.platform.store.withEvents(STOCK_EVENTS), new SqlSnapshotStore(ctx.platform.db.sql));
      return mapAsync(events, async (event) => {
        const { before, after } = await tracker.apply(event);
        if (!isLowLevel(after)) return undefined;
        // Alert on entering the low zone, and on every further drop inside it.
        const enteredLow = !before || !isLowLevel(before);
        const dropped = before !== undefined && availableOf(after) < availableOf(before);
        return enteredLow || dropped ? after : undefined;
      });
    },
    resolve: freshItem,
  },
  inventoryEvents: {
    subscribe: async (_, args, ctx) => {
      const types = args.types && args.types.length > 0 ? new Set(args.types) : undefined;
      const events = await ctx.platform.live({
        categories: [PRODUCT_CATEGORY, STORE_CATEGORY, STOCK_CATEGORY],
        after: args.after ?? null,
        filter: (event: RecordedEvent) => !types || types.has(event.type),
      });
      return events;
    },
    resolve: freshItem,
  },
};
