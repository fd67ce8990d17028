import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import { foldStream } from '../../shared/projections/stream-projection.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { badInput } from '../../shared/errors/codes.js';
import { stockStreamId } from '../domain/index.js';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import { compiledOnce, param } from '../../shared/database/kysely/compiled-statement.js';
import { stockProjection, type StockLevelRow, type StoreRow } from '../projections/index.js';
import { totalAvailableColumn, type ProductView } from './total-available.js';

const MAX_SEARCH_LENGTH = 200;

/**
 * The statement of a products page, by whether it searches, whether it resumes after a cursor and
 * whether it sums each product's available units: parameters are the name pattern and SKU prefix
 * (when searching), the cursor's instant and id (when resuming), then the row limit.
 */
function productPage(kysely: KyselyDatabase, searched: boolean, resumed: boolean, totals: boolean) {
  let position = 0;
  const next = <T>() => param<T>((position += 1));
  const products = kysely.selectFrom('products').selectAll();
  let query = totals ? products.select(totalAvailableColumn) : products;
  if (searched) {
    const [contains, prefix] = [next<string>(), next<string>()];
    query = query.where((eb) => eb.or([eb('name', 'ilike', contains), eb('sku', 'like', prefix)]));
  }
  if (resumed) {
    const [createdAt, id] = [next<Date>(), next<string>()];
    query = query.where((eb) => eb.or([eb('createdAt', '<', createdAt), eb.and([eb('createdAt', '=', createdAt), eb('id', '<', id)])]));
  }
  return compiledOnce(query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(next<number>()));
}

/** Read-side queries that are lists or time travel (single lookups go through the loaders). */
export function inventoryQueries(platform: Platform) {
  const { kysely } = platform.db;
  const both = [false, true] as const;
  const productPages = both.map((searched) => both.map((resumed) => both.map((totals) => productPage(kysely, searched, resumed, totals))));
  return {
    /**
     * A page of products. With `totals`, each row carries its units available (a page that shows
     * totals but not the stock levels then costs one statement; one that shows the levels sums them).
     */
    async products(
      args: { first?: number | null; after?: string | null; search?: string | null },
      options: { readonly totals?: boolean } = {},
    ): Promise<Connection<ProductView>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      const search = args.search;
      if (search && search.length > MAX_SEARCH_LENGTH) throw badInput('search is too long', 'search');
      const parameters: unknown[] = [];
      // Name contains the text (any case), or the SKU starts with it; `%` and `_` in it match as in LIKE.
      if (search) parameters.push(`%${search}%`, `${search}%`);
      if (after) parameters.push(new Date(String(after[0])), String(after[1]));
      parameters.push(size + 1);
      const statement = productPages[search ? 1 : 0]![after ? 1 : 0]![options.totals ? 1 : 0]!;
      const { rows } = await kysely.executeQuery(statement(parameters));
      return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    async stores(args: { first?: number | null; after?: string | null }): Promise<Connection<StoreRow>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after);
      let query = kysely.selectFrom('stores').selectAll();
      if (after) query = query.where('id', '>', String(after[0]));
      const rows = await query
        .orderBy('id')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.id]);
    },

    async lowStock(args: { storeId?: string | null; first?: number | null; after?: string | null }): Promise<Connection<StockLevelRow>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      let query = kysely
        .selectFrom('stockLevels')
        .selectAll()
        .where((eb) => eb(eb('total', '-', eb.ref('reserved')), '<=', eb.ref('lowStockThreshold')));
      if (args.storeId != null) query = query.where('storeId', '=', args.storeId);
      if (after) query = query.where((eb) => eb(eb.refTuple('productId', 'storeId'), '>', eb.tuple(String(after[0]), String(after[1]))));
      const rows = await query
        .orderBy('productId')
        .orderBy('storeId')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (level) => [level.productId, level.storeId]);
    },

    /** The stock level as of `at`, folded from the stream with the same projection as the read model. */
    async stockLevelAt(productId: string, storeId: string, at: Date): Promise<StockLevelRow | null> {
      const events = await platform.store.readStream(stockStreamId(productId, storeId), { until: at });
      return foldStream(stockProjection, events).level ?? null;
    },

    async stockLevelHistory(productId: string, storeId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<RecordedEvent>> {
      const size = pageSize(args.first, 50);
      const after = decodeCursor(args.after);
      const events = await platform.store.readStream(stockStreamId(productId, storeId), {
        afterVersion: after ? Number(after[0]) : 0,
      });
      return toConnection(events.slice(0, size + 1), size, (event) => [event.version]);
    },
  };
}

export type InventoryQueries = ReturnType<typeof inventoryQueries>;
