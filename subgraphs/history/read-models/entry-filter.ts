import type { AnalysisFilter } from '../domain/index.js';

/**
 * SQL conditions on `history_entries` for an analysis filter; pushes the parameters onto
 * `params` and returns the conditions joined by AND ("TRUE" when the filter is empty).
 */
export function entryFilterSql(filter: AnalysisFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.model !== null) add((p) => `model = ${p}`, filter.model);
  if (filter.subjectType !== null) add((p) => `subject_type = ${p}`, filter.subjectType);
  if (filter.subjectId !== null) add((p) => `subject_id = ${p}`, filter.subjectId);
  if (filter.createdAfter !== null) add((p) => `created_at >= ${p}::timestamptz`, filter.createdAfter);
  if (filter.createdBefore !== null) add((p) => `created_at <= ${p}::timestamptz`, filter.createdBefore);
  return conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
}
