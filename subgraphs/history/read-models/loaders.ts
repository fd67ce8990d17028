import DataLoader from 'dataloader';
import { columnArray, columnsIn } from '../../shared/database/kysely/arrays.js';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import { byId, groupBy } from '../../shared/graphql/batch-results.js';
import { requestLoaders } from '../../shared/graphql/request-loaders.js';
import { rowsOf } from '../../shared/database/kysely/compiled-statement.js';
import { joinableLoader } from '../../shared/graphql/joinable-loader.js';
import type { SubjectType } from '../domain/index.js';
import { loaderStatements } from './loader-statements.js';
import type { AnalysisJobRow, AssessmentRow, ComparisonRow, EntryRow, EntryVersionRow, ModelAnalyticsView } from './rows.js';

/** Key of one content version. */
export interface VersionKey {
  readonly entryId: string;
  readonly version: number;
}

/** Key of a subject (campaign or product). */
export interface SubjectKey {
  readonly type: SubjectType;
  readonly id: string;
}

const versionKey = (key: VersionKey) => `${key.entryId}\u0000${key.version}`;
const subjectKey = (key: SubjectKey) => `${key.type}\u0000${key.id}`;

/**
 * Per-request batch loaders: every lookup of one request, `__resolveReference` included, becomes
 * one SQL query per kind and tick. Keys travel as array parameters (`= ANY($1)`,
 * `IN (SELECT * FROM unnest($1, $2))`), so every batch of a loader is the same statement.
 * `clearAll()` empties them all (see `requestLoaders`).
 */
export function createHistoryLoaders(kysely: KyselyDatabase) {
  const statements = loaderStatements(kysely);
  const assessment = new DataLoader<string, AssessmentRow | null>(async (ids) => byId(ids, await rowsOf(kysely, statements.assessments, [ids])));
  const subjectArrays = (keys: readonly SubjectKey[]) => [keys.map((key) => key.type), keys.map((key) => key.id)];
  // Every row found has the subject it was looked up by.
  const bySubject = (keys: readonly SubjectKey[], rows: readonly EntryRow[]) =>
    groupBy(keys.map(subjectKey), rows, (row) => subjectKey({ type: row.subjectType!, id: row.subjectId! }));
  return requestLoaders({
    entry: new DataLoader<string, EntryRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('historyEntries')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('historyEntries', 'id', ids)))
          .execute(),
      ),
    ),
    version: new DataLoader<VersionKey, EntryVersionRow | null, string>(
      async (keys) => {
        const rows = await kysely
          .selectFrom('historyEntryVersions')
          .selectAll()
          .where(columnsIn('historyEntryVersions', ['entryId', 'version'], keys))
          .execute();
        const found = new Map(rows.map((row) => [versionKey(row), row]));
        return keys.map((key) => found.get(versionKey(key)) ?? null);
      },
      { cacheKeyFn: versionKey },
    ),
    versionsByEntry: new DataLoader<string, EntryVersionRow[]>(async (entryIds) => {
      const rows = await kysely
        .selectFrom('historyEntryVersions')
        .selectAll()
        .where('entryId', '=', (eb) => eb.fn.any(columnArray('historyEntryVersions', 'entryId', entryIds)))
        .orderBy('entryId')
        .orderBy('version')
        .execute();
      return groupBy(entryIds, rows, (row) => row.entryId);
    }),
    assessment,
    comparison: new DataLoader<string, ComparisonRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('historyComparisons')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('historyComparisons', 'id', ids)))
          .execute(),
      ),
    ),
    job: new DataLoader<string, AnalysisJobRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('historyAnalysisJobs')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('historyAnalysisJobs', 'id', ids)))
          .execute(),
      ),
    ),
    /** A subject's live (not deleted) entries, oldest first; `joined` reads them with their latest assessments, which it primes (see entriesOf). */
    entriesBySubject: joinableLoader<SubjectKey, EntryRow[]>(async (keys, withAssessments) => {
      if (!withAssessments) return bySubject(keys, await rowsOf(kysely, statements.entriesBySubject, subjectArrays(keys)));
      const entries: EntryRow[] = [];
      for (const row of await rowsOf(kysely, statements.entriesWithAssessmentsBySubject, subjectArrays(keys))) {
        const {
          latestEntryId,
          latestEntryVersion,
          latestModel,
          latestAssessedScore,
          latestDimensions,
          latestAssessorName,
          latestAssessorVersion,
          latestJobId,
          latestPosition,
          latestAssessedAt,
          ...entry
        } = row;
        // The assessments came with the entries: HistoryEntry.latestAssessment finds them loaded.
        if (
          entry.latestAssessmentId !== null &&
          latestEntryId !== null &&
          latestEntryVersion !== null &&
          latestModel !== null &&
          latestAssessedScore !== null &&
          latestDimensions !== null &&
          latestAssessorName !== null &&
          latestAssessorVersion !== null &&
          latestPosition !== null &&
          latestAssessedAt !== null
        ) {
          assessment.prime(entry.latestAssessmentId, {
            id: entry.latestAssessmentId,
            entryId: latestEntryId,
            entryVersion: latestEntryVersion,
            model: latestModel,
            score: latestAssessedScore,
            dimensions: latestDimensions,
            assessorName: latestAssessorName,
            assessorVersion: latestAssessorVersion,
            jobId: latestJobId,
            position: latestPosition,
            assessedAt: latestAssessedAt,
          });
        }
        entries.push(entry);
      }
      return bySubject(keys, entries);
    }, subjectKey),
    modelAnalytics: new DataLoader<string, ModelAnalyticsView | null>(async (models) => {
      const [totals, buckets] = await Promise.all([
        kysely
          .selectFrom('historyModelAnalytics')
          .selectAll()
          .where('model', '=', (eb) => eb.fn.any(columnArray('historyModelAnalytics', 'model', models)))
          .execute(),
        kysely
          .selectFrom('historyModelScoreBuckets')
          .selectAll()
          .where('model', '=', (eb) => eb.fn.any(columnArray('historyModelScoreBuckets', 'model', models)))
          .where('count', '>', 0)
          .orderBy('model')
          .orderBy('bucket')
          .execute(),
      ]);
      const bucketsByModel = groupBy(models, buckets, (row) => row.model);
      const totalsByModel = new Map(totals.map((row) => [row.model, row]));
      return models.map((model, index) => {
        const row = totalsByModel.get(model);
        if (!row) return null;
        return {
          model,
          entries: row.entries,
          assessedEntries: row.assessedEntries,
          assessments: row.assessments,
          scoreSumE4: Number(row.scoreSumE4),
          updatedAt: row.updatedAt,
          buckets: (bucketsByModel[index] ?? []).map((bucket) => ({ bucket: bucket.bucket, count: bucket.count })),
        };
      });
    }),
  });
}

export type HistoryLoaders = ReturnType<typeof createHistoryLoaders>;
