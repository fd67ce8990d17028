import { sql, type AliasedExpression, type ExpressionBuilder } from 'kysely';
import type { Tables } from '../../shared/database/kysely/database.js';
import type { ProductRow, StockLevelRow } from '../projections/index.js';
import { availableOf } from './rows.js';

/**
 * A product as the catalogue's statements read it: with the units available over all its stock
 * levels (a BIGINT sum, as text), so a page that shows the total costs no second statement. Rows
 * from elsewhere (events, commands) do not carry it.
 */
export type ProductView = ProductRow & { readonly totalAvailable?: string };

/** `totalAvailable` of a products statement: the sum of `total - reserved` of the product's stock levels (0 without any). */
export function totalAvailableColumn(eb: ExpressionBuilder<Tables, 'products'>): AliasedExpression<string, 'totalAvailable'> {
  return eb
    .selectFrom('stockLevels')
    .select(sql<string>`coalesce(sum(${sql.ref('stockLevels.total')} - ${sql.ref('stockLevels.reserved')}), 0)`.as('units'))
    .whereRef('stockLevels.productId', '=', 'products.id')
    .$asScalar()
    .as('totalAvailable');
}

/** The units available of `product`: from its row when its statement summed them, else from its stock levels. */
export async function totalAvailableOf(product: ProductView, levels: () => Promise<readonly StockLevelRow[]>): Promise<number> {
  if (product.totalAvailable !== undefined) return Number(product.totalAvailable);
  return (await levels()).reduce((sum, level) => sum + availableOf(level), 0);
}
