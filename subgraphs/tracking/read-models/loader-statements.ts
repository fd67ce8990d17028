import { sql } from 'kysely';
import { compiledOnce, compiledPerDatabase, param } from '../../shared/database/kysely/compiled-statement.js';
import { countersWithRevenue } from './counters-with-revenue.js';

const ids = sql<string[]>`${param<string[]>(1)}::text[]`;

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): the array of ids, or the arrays of scopes and subject ids of the totals.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  campaigns: compiledOnce(
    kysely
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(ids)),
  ),
  campaignsByProduct: compiledOnce(
    kysely
      .selectFrom('campaigns')
      .selectAll()
      .where('productId', '=', (eb) => eb.fn.any(ids))
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc'),
  ),
  totals: compiledOnce(
    countersWithRevenue(kysely)
      .where(sql<boolean>`(${sql.ref('c.scope')}, ${sql.ref('c.subjectId')}) IN (SELECT * FROM unnest(${param(1)}::text[], ${param(2)}::text[]))`)
      .where('c.dimension', '=', sql.lit('total'))
      .where('c.key', '=', sql.lit('')),
  ),
}));
