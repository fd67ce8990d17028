import { sql } from 'kysely';
import { compiledOnce, compiledPerDatabase, param } from '../../shared/database/kysely/compiled-statement.js';

const anyId = param<string[]>(1);

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): their one parameter is the array of keys.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  products: compiledOnce(
    kysely
      .selectFrom('products')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(sql<string[]>`${anyId}::text[]`)),
  ),
  stores: compiledOnce(
    kysely
      .selectFrom('stores')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(sql<string[]>`${anyId}::text[]`)),
  ),
  stockLevelsByProduct: compiledOnce(
    kysely
      .selectFrom('stockLevels')
      .selectAll()
      .where('productId', '=', (eb) => eb.fn.any(sql<string[]>`${anyId}::text[]`))
      .orderBy('productId')
      .orderBy('storeId'),
  ),
}));
