import DataLoader from 'dataloader';
import type { CompiledQuery } from 'kysely';
import { columnArray, columnsIn } from '../../shared/database/kysely/arrays.js';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import { byId, groupBy } from '../../shared/graphql/batch-results.js';
import { requestLoaders } from '../../shared/graphql/request-loaders.js';
import { rowsOf } from '../../shared/database/kysely/compiled-statement.js';
import { joinableLoader } from '../../shared/graphql/joinable-loader.js';
import { loaderStatements } from './loader-statements.js';
import type { ReservationRow, StockLevelRow, StoreRow } from './rows.js';
import type { ProductView } from './total-available.js';

/** Key of a stock level. */
export interface StockKey {
  readonly productId: string;
  readonly storeId: string;
}

const stockKey = (key: StockKey) => `${key.productId}\u0000${key.storeId}`;

/**
 * Per-request batch loaders: every entity lookup of one request, `__resolveReference` included,
 * becomes one SQL query per entity type and tick. Keys travel as array parameters (`= ANY($1)`,
 * `IN (SELECT * FROM unnest($1, $2))`), so every batch of a loader is the same statement.
 * `clearAll()` empties them all (see `requestLoaders`).
 */
export function createInventoryLoaders(kysely: KyselyDatabase) {
  const statements = loaderStatements(kysely);
  const byKeys = <Row>(statement: (parameters: readonly unknown[]) => CompiledQuery<Row>, keys: readonly string[]) => rowsOf(kysely, statement, [keys]);
  const store = new DataLoader<string, StoreRow | null>(async (ids) => byId(ids, await byKeys(statements.stores, ids)));
  return requestLoaders({
    product: new DataLoader<string, ProductView | null>(async (ids) => byId(ids, await byKeys(statements.products, ids))),
    store,
    reservation: new DataLoader<string, ReservationRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('reservations')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('reservations', 'id', ids)))
          .execute(),
      ),
    ),
    stockLevel: new DataLoader<StockKey, StockLevelRow | null, string>(
      async (keys) => {
        const rows = await kysely
          .selectFrom('stockLevels')
          .selectAll()
          .where(columnsIn('stockLevels', ['productId', 'storeId'], keys))
          .execute();
        const found = new Map(rows.map((row) => [stockKey(row), row]));
        return keys.map((key) => found.get(stockKey(key)) ?? null);
      },
      { cacheKeyFn: stockKey },
    ),
    /** A product's stock levels; `joined` reads them with their stores, which it primes (see Product.stockLevels). */
    stockLevelsByProduct: joinableLoader<string, StockLevelRow[]>(
      async (productIds, withStores) => {
        if (!withStores) return groupBy(productIds, await byKeys(statements.stockLevelsByProduct, productIds), (row) => row.productId);
        const levels: StockLevelRow[] = [];
        for (const { storeName, storeLocation, storeVersion, storeCreatedAt, storeUpdatedAt, ...level } of await byKeys(
          statements.stockLevelsWithStoresByProduct,
          productIds,
        )) {
          // The stores came with the levels: StockLevel.store finds them loaded.
          if (storeName !== null && storeLocation !== null && storeVersion !== null && storeCreatedAt !== null && storeUpdatedAt !== null) {
            store.prime(level.storeId, {
              id: level.storeId,
              name: storeName,
              location: storeLocation,
              version: storeVersion,
              createdAt: storeCreatedAt,
              updatedAt: storeUpdatedAt,
            });
          }
          levels.push(level);
        }
        return groupBy(productIds, levels, (row) => row.productId);
      },
      (productId) => productId,
    ),
    stockLevelsByStore: new DataLoader<string, StockLevelRow[]>(async (storeIds) => {
      const rows = await kysely
        .selectFrom('stockLevels')
        .selectAll()
        .where('storeId', '=', (eb) => eb.fn.any(columnArray('stockLevels', 'storeId', storeIds)))
        .orderBy('storeId')
        .orderBy('productId')
        .execute();
      return groupBy(storeIds, rows, (row) => row.storeId);
    }),
    reservationsByStock: new DataLoader<StockKey, ReservationRow[], string>(
      async (keys) => {
        const rows = await kysely
          .selectFrom('reservations')
          .selectAll()
          .where(columnsIn('reservations', ['productId', 'storeId'], keys))
          .orderBy('createdAt')
          .execute();
        return groupBy(keys.map(stockKey), rows, stockKey);
      },
      { cacheKeyFn: stockKey },
    ),
  });
}

export type InventoryLoaders = ReturnType<typeof createInventoryLoaders>;
