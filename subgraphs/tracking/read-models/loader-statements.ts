import { sql } from 'kysely';
import { compiledOnce, compiledPerDatabase, textArray, textKeysIn } from '../../shared/database/kysely/compiled-statement.js';
import { countersWithRevenue } from './counters-with-revenue.js';

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): the array of ids, or the arrays of scopes and subject ids of the totals.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  campaigns: compiledOnce(
    kysely
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(textArray(1))),
  ),
  campaignsByProduct: compiledOnce(
    kysely
      .selectFrom('campaigns')
      .selectAll()
      .where('productId', '=', (eb) => eb.fn.any(textArray(1)))
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc'),
  ),
  totals: compiledOnce(
    countersWithRevenue(kysely)
      .where(textKeysIn(['c.scope', 'c.subjectId'], 1))
      .where('c.dimension', '=', sql.lit('total'))
      .where('c.key', '=', sql.lit('')),
  ),
}));
