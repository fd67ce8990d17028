import { sql } from 'kysely';
import { compiledOnce, compiledPerDatabase, textArray, textKeysIn } from '../../shared/database/kysely/compiled-statement.js';

/**
 * The statements of the loaders most requests use, compiled once per Kysely instance (see
 * compiledOnce): the array of ids, or the arrays of subject types and ids.
 */
export const loaderStatements = compiledPerDatabase((kysely) => ({
  assessments: compiledOnce(
    kysely
      .selectFrom('historyAssessments')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(textArray(1))),
  ),
  /** Live (not deleted) entries about the subjects, oldest first. */
  entriesBySubject: compiledOnce(
    kysely
      .selectFrom('historyEntries')
      .selectAll()
      .where('deleted', '=', sql.lit(false))
      .where(textKeysIn(['subjectType', 'subjectId'], 1))
      .orderBy('createdAt')
      .orderBy('id'),
  ),
  /** As entriesBySubject, each entry with its latest assessment's columns (null when it has none). */
  entriesWithAssessmentsBySubject: compiledOnce(
    kysely
      .selectFrom('historyEntries')
      .leftJoin('historyAssessments as latest', 'latest.id', 'historyEntries.latestAssessmentId')
      .selectAll('historyEntries')
      .select([
        'latest.entryId as latestEntryId',
        'latest.entryVersion as latestEntryVersion',
        'latest.model as latestModel',
        'latest.score as latestAssessedScore',
        'latest.dimensions as latestDimensions',
        'latest.assessorName as latestAssessorName',
        'latest.assessorVersion as latestAssessorVersion',
        'latest.jobId as latestJobId',
        'latest.position as latestPosition',
        'latest.assessedAt as latestAssessedAt',
      ])
      .where('historyEntries.deleted', '=', sql.lit(false))
      .where(textKeysIn(['historyEntries.subjectType', 'historyEntries.subjectId'], 1))
      .orderBy('historyEntries.createdAt')
      .orderBy('historyEntries.id'),
  ),
}));
