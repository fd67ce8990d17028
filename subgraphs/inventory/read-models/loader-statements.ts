import { compiledOnce, compiledPerDatabase, textArray } from '../../shared/database/kysely/compiled-statement.js';
import { totalAvailableColumn } from './total-available.js';

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): their one parameter is the array of keys.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  products: compiledOnce(
    kysely
      .selectFrom('products')
      .selectAll()
      .select(totalAvailableColumn)
      .where('id', '=', (eb) => eb.fn.any(textArray(1))),
  ),
  stores: compiledOnce(
    kysely
      .selectFrom('stores')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(textArray(1))),
  ),
  stockLevelsByProduct: compiledOnce(
    kysely
      .selectFrom('stockLevels')
      .selectAll()
      .where('productId', '=', (eb) => eb.fn.any(textArray(1)))
      .orderBy('productId')
      .orderBy('storeId'),
  ),
  /** As stockLevelsByProduct, each level with its store's columns (null if the store is unknown), so the stores cost no statement of their own. */
  stockLevelsWithStoresByProduct: compiledOnce(
    kysely
      .selectFrom('stockLevels')
      .leftJoin('stores', 'stores.id', 'stockLevels.storeId')
      .selectAll('stockLevels')
      .select([
        'stores.name as storeName',
        'stores.location as storeLocation',
        'stores.version as storeVersion',
        'stores.createdAt as storeCreatedAt',
        'stores.updatedAt as storeUpdatedAt',
      ])
      .where('stockLevels.productId', '=', (eb) => eb.fn.any(textArray(1)))
      .orderBy('stockLevels.productId')
      .orderBy('stockLevels.storeId'),
  ),
}));
