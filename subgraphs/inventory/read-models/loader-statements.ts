import { compiledOnce, compiledPerDatabase, textArray } from '../../shared/database/kysely/compiled-statement.js';

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): their one parameter is the array of keys.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  products: compiledOnce(
    kysely
      .selectFrom('products')
      .selectAll()
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
}));
