import { sql } from 'kysely';
import { compiledOnce, compiledPerDatabase, param } from '../../shared/database/kysely/compiled-statement.js';

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): the array of ids, or the arrays of subject types and ids.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  assessments: compiledOnce(
    kysely
      .selectFrom('historyAssessments')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(sql<string[]>`${param<string[]>(1)}::text[]`)),
  ),
  /** Live (not deleted) entries about the subjects, oldest first. */
  entriesBySubject: compiledOnce(
    kysely
      .selectFrom('historyEntries')
      .selectAll()
      .where('deleted', '=', sql.lit(false))
      .where(sql<boolean>`(${sql.ref('subjectType')}, ${sql.ref('subjectId')}) IN (SELECT * FROM unnest(${param(1)}::text[], ${param(2)}::text[]))`)
      .orderBy('createdAt')
      .orderBy('id'),
  ),
}));
