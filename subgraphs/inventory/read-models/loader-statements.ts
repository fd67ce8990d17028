import { sql } from 'kysely';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import { compiledOnce, param } from '../../shared/database/kysely/compiled-statement.js';

const anyId = param<string[]>(1);

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): their one parameter is the array of keys.
 */
const compiledStatements = new WeakMap<KyselyDatabase, ReturnType<typeof compileStatements>>();

function compileStatements(kysely: KyselyDatabase) {
  return {
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
  };
}

/** The loader statements over `kysely`, compiled on first use. */
export function loaderStatements(kysely: KyselyDatabase) {
  let statements = compiledStatements.get(kysely);
  if (!statements) {
    statements = compileStatements(kysely);
    compiledStatements.set(kysely, statements);
  }
  return statements;
}
