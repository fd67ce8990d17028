import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Tables } from '../../shared/database/kysely/database.js';
import type { AnalysisFilter } from '../domain/index.js';

/**
 * The condition on `history_entries` of an analysis filter: every field set must match (TRUE
 * when the filter is empty). Instants are ISO-8601 text, compared as instants.
 */
export function entryFilter(filter: AnalysisFilter) {
  return (eb: ExpressionBuilder<Tables, 'historyEntries'>): Expression<SqlBool> => {
    const conditions: Array<Expression<SqlBool>> = [];
    if (filter.model !== null) conditions.push(eb('model', '=', filter.model));
    if (filter.subjectType !== null) conditions.push(eb('subjectType', '=', filter.subjectType));
    if (filter.subjectId !== null) conditions.push(eb('subjectId', '=', filter.subjectId));
    if (filter.createdAfter !== null) conditions.push(eb('createdAt', '>=', new Date(filter.createdAfter)));
    if (filter.createdBefore !== null) conditions.push(eb('createdAt', '<=', new Date(filter.createdBefore)));
    return eb.and(conditions);
  };
}
