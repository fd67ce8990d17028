import { sql as rawSql, type QueryCreator } from 'kysely';
import { fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { columnArray } from '../../shared/database/kysely/arrays.js';
import { kyselyOver, type Tables } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { foldStream, type StreamProjection } from '../../shared/projections/stream-projection.js';
import { ENTRY_CATEGORY, ENTRY_EVENTS, type EntryEvent } from '../domain/index.js';
import {
  contributionDelta,
  contributionRows,
  dayOf,
  scoreToE4,
  type AnalyticsRows,
  type DailyRow,
  type ModelContribution,
  type ModelTotalsRow,
  type ScoreBucketRow,
} from './analytics.js';
import type { AssessmentRow, EntryRow, EntryVersionRow } from './rows.js';

/** Everything one entry stream projects to. */
export interface EntryProjectionState {
  readonly entry: EntryRow | undefined;
  readonly versions: readonly EntryVersionRow[];
  readonly assessments: readonly AssessmentRow[];
  readonly contribution: ModelContribution | undefined;
}

export type EntryProjectionRow =
  | { readonly kind: 'entry'; readonly row: EntryRow }
  | { readonly kind: 'version'; readonly row: EntryVersionRow }
  | { readonly kind: 'assessment'; readonly row: AssessmentRow }
  | { readonly kind: 'totals'; readonly row: ModelTotalsRow }
  | { readonly kind: 'bucket'; readonly row: ScoreBucketRow }
  | { readonly kind: 'daily'; readonly row: DailyRow };

export const initialEntryProjection = (): EntryProjectionState => ({ entry: undefined, versions: [], assessments: [], contribution: undefined });

/** Applies one recorded entry event (pure: returns a new state). */
export function evolveEntryProjection(state: EntryProjectionState, event: RecordedEvent<EntryEvent>): EntryProjectionState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'EntryCreated': {
      const { data } = event;
      const entry: EntryRow = {
        id: data.entryId,
        model: data.model,
        prompt: data.prompt,
        content: data.content,
        version: 1,
        streamVersion: event.version,
        subjectType: data.subject?.type ?? null,
        subjectId: data.subject?.id ?? null,
        metrics: data.metrics,
        analyzerName: data.analyzer.name,
        analyzerVersion: data.analyzer.version,
        deleted: false,
        deletedAt: null,
        deleteReason: null,
        deletedPosition: null,
        assessmentCount: 0,
        latestAssessmentId: null,
        latestScore: null,
        createdPosition: event.position,
        position: event.position,
        createdAt: at,
        updatedAt: at,
      };
      return {
        entry,
        versions: [versionRow(entry, event)],
        assessments: [],
        contribution: { model: data.model, live: true, latestScoreE4: null, assessments: 0, daily: {}, updatedAt: at },
      };
    }
    case 'EntryUpdated': {
      if (!state.entry || !state.contribution) return state;
      const entry: EntryRow = {
        ...state.entry,
        prompt: event.data.prompt,
        content: event.data.content,
        version: event.data.version,
        metrics: event.data.metrics,
        analyzerName: event.data.analyzer.name,
        analyzerVersion: event.data.analyzer.version,
        streamVersion: event.version,
        position: event.position,
        updatedAt: at,
      };
      return {
        ...state,
        entry,
        versions: [...state.versions, versionRow(entry, event)],
        contribution: { ...state.contribution, updatedAt: at },
      };
    }
    case 'EntryDeleted': {
      if (!state.entry || !state.contribution) return state;
      return {
        ...state,
        entry: {
          ...state.entry,
          deleted: true,
          deletedAt: at,
          deleteReason: event.data.reason,
          deletedPosition: event.position,
          streamVersion: event.version,
          position: event.position,
          updatedAt: at,
        },
        contribution: { ...state.contribution, live: false, updatedAt: at },
      };
    }
    case 'QualityAssessed': {
      if (!state.entry || !state.contribution) return state;
      const { data } = event;
      const assessment = assessmentRowOf(event)!;
      const scoreE4 = scoreToE4(data.score);
      const day = dayOf(at);
      const tally = state.contribution.daily[day] ?? { assessments: 0, scoreSumE4: 0 };
      return {
        entry: {
          ...state.entry,
          assessmentCount: state.entry.assessmentCount + 1,
          latestAssessmentId: data.assessmentId,
          latestScore: data.score,
          streamVersion: event.version,
          position: event.position,
          updatedAt: at,
        },
        versions: state.versions,
        assessments: [...state.assessments, assessment],
        contribution: {
          ...state.contribution,
          latestScoreE4: scoreE4,
          assessments: state.contribution.assessments + 1,
          daily: { ...state.contribution.daily, [day]: { assessments: tally.assessments + 1, scoreSumE4: tally.scoreSumE4 + scoreE4 } },
          updatedAt: at,
        },
      };
    }
    default:
      return state;
  }
}

/** The assessment row a QualityAssessed event stands for (undefined for other events). */
export function assessmentRowOf(event: RecordedEvent<EntryEvent>): AssessmentRow | undefined {
  if (event.type !== 'QualityAssessed') return undefined;
  const { data } = event;
  return {
    id: data.assessmentId,
    entryId: data.entryId,
    entryVersion: data.entryVersion,
    model: data.model,
    score: data.score,
    dimensions: data.dimensions,
    assessorName: data.assessor.name,
    assessorVersion: data.assessor.version,
    jobId: data.jobId,
    position: event.position,
    assessedAt: event.occurredAt,
  };
}

/** The version row an entry event records (also the `firstVersion` of a streamed creation). */
export function versionRow(entry: EntryRow, recorded: Pick<RecordedEvent, 'position' | 'occurredAt'>): EntryVersionRow {
  return {
    entryId: entry.id,
    version: entry.version,
    model: entry.model,
    prompt: entry.prompt,
    content: entry.content,
    metrics: entry.metrics,
    analyzerName: entry.analyzerName,
    analyzerVersion: entry.analyzerVersion,
    position: recorded.position,
    createdAt: recorded.occurredAt,
  };
}

function analyticsRowsOf(rows: AnalyticsRows): EntryProjectionRow[] {
  return [
    { kind: 'totals', row: rows.totals },
    ...rows.buckets.map((row) => ({ kind: 'bucket' as const, row })),
    ...rows.daily.map((row) => ({ kind: 'daily' as const, row })),
  ];
}

/**
 * Entries, versions, assessments and per-model analytics, from the `entry-<id>` streams. One
 * projection for the category, because a rebuild routes each category to one projection.
 *
 * Entry, version and assessment rows are upserted (state). Analytics rows are *added* (see
 * analytics.ts): `toRows` gives a stream's whole contribution, which a rebuild adds to empty tables;
 * the inline path ({@link projectEntryStream}) passes only the change the new events made.
 */
export const entryProjection: StreamProjection<EntryProjectionState, EntryProjectionRow, EntryEvent> = {
  name: 'history-entries',
  category: ENTRY_CATEGORY,
  events: ENTRY_EVENTS,
  tables: ['history_entries', 'history_entry_versions', 'history_assessments', 'history_model_analytics', 'history_model_score_buckets', 'history_model_daily'],
  initial: initialEntryProjection,
  evolve: evolveEntryProjection,
  toRows: (state) =>
    state.entry
      ? [
          { kind: 'entry', row: state.entry },
          ...state.versions.map((row) => ({ kind: 'version' as const, row })),
          ...state.assessments.map((row) => ({ kind: 'assessment' as const, row })),
          ...(state.contribution ? analyticsRowsOf(contributionRows(state.contribution)) : []),
        ]
      : [],
  write: writeEntryRows,
};

/**
 * Inline projection of an entry command: upserts the entry row and the version and assessment rows
 * the new events created, and adds the analytics delta `contribution(after) − contribution(before)`.
 */
export async function projectEntryStream(
  tx: SqlClient,
  history: ReadonlyArray<RecordedEvent<EntryEvent>>,
  appended: ReadonlyArray<RecordedEvent<EntryEvent>>,
): Promise<EntryProjectionState> {
  const before = foldStream(entryProjection, history.slice(0, history.length - appended.length));
  let after = before;
  for (const event of appended) after = evolveEntryProjection(after, event);
  if (!after.entry) return after;
  const positions = new Set(appended.map((event) => event.position));
  const rows: EntryProjectionRow[] = [
    { kind: 'entry', row: after.entry },
    ...after.versions.filter((row) => positions.has(row.position)).map((row) => ({ kind: 'version' as const, row })),
    ...after.assessments.filter((row) => positions.has(row.position)).map((row) => ({ kind: 'assessment' as const, row })),
    ...(after.contribution ? analyticsRowsOf(contributionDelta(after.contribution, before.contribution)) : []),
  ];
  await writeEntryRows(tx, rows);
  return after;
}

/** Columns of `history_entries` a later event of its stream may change (the rest are set by its creation). */
const ENTRY_CHANGES = [
  'prompt',
  'content',
  'version',
  'streamVersion',
  'metrics',
  'analyzerName',
  'analyzerVersion',
  'deleted',
  'deletedAt',
  'deleteReason',
  'deletedPosition',
  'assessmentCount',
  'latestAssessmentId',
  'latestScore',
  'position',
  'updatedAt',
] as const;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rows with equal `keyOf` summed into one by `add`, in key order: a rebuild chunk holds many
 * streams of one model, and concurrent writers then lock rows in the same order.
 */
function summed<Row>(rows: readonly Row[], keyOf: (row: Row) => string, add: (a: Row, b: Row) => Row): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    const known = byKey.get(key);
    byKey.set(key, known ? add(known, row) : row);
  }
  return [...byKey].sort(([a], [b]) => compareText(a, b)).map(([, row]) => row);
}

const totalsOf = (rows: readonly ModelTotalsRow[]): ModelTotalsRow[] =>
  summed(
    rows,
    (row) => row.model,
    (a, b) => ({
      model: a.model,
      entries: a.entries + b.entries,
      assessedEntries: a.assessedEntries + b.assessedEntries,
      assessments: a.assessments + b.assessments,
      scoreSumE4: a.scoreSumE4 + b.scoreSumE4,
      updatedAt: a.updatedAt > b.updatedAt ? a.updatedAt : b.updatedAt,
    }),
  );

const bucketsOf = (rows: readonly ScoreBucketRow[]): ScoreBucketRow[] =>
  summed(
    rows,
    // Buckets 0..99 in two digits, so the text order is the numeric one.
    (row) => `${row.model}\u0000${String(row.bucket).padStart(2, '0')}`,
    (a, b) => ({ model: a.model, bucket: a.bucket, count: a.count + b.count }),
  );

const dailyOf = (rows: readonly DailyRow[]): DailyRow[] =>
  summed(
    rows,
    (row) => `${row.model}\u0000${row.day}`,
    (a, b) => ({ model: a.model, day: a.day, assessments: a.assessments + b.assessments, scoreSumE4: a.scoreSumE4 + b.scoreSumE4 }),
  );

/** One statement of the statements below, as a data-modifying CTE: it returns a row per row written. */
const one = rawSql<number>`1`.as('one');

/** Upserts entry rows (state: a later event's columns replace the earlier ones). */
const upsertEntries = (db: QueryCreator<Tables>, rows: readonly EntryRow[]) =>
  insertRows(db, 'historyEntries', rows)
    .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('historyEntries', ENTRY_CHANGES)))
    .returning(one);

/** Inserts version rows, which never change once written. */
const insertVersions = (db: QueryCreator<Tables>, rows: readonly EntryVersionRow[]) =>
  insertRows(db, 'historyEntryVersions', rows)
    .onConflict((conflict) => conflict.columns(['entryId', 'version']).doNothing())
    .returning(one);

/** Inserts assessment rows, which never change once written. */
const insertAssessments = (db: QueryCreator<Tables>, rows: readonly AssessmentRow[]) =>
  insertRows(db, 'historyAssessments', rows)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning(one);

/** Adds totals deltas to their rows (the latest update time kept). */
const addToTotals = (db: QueryCreator<Tables>, rows: readonly ModelTotalsRow[]) =>
  insertRows(db, 'historyModelAnalytics', rows)
    .onConflict((conflict) =>
      conflict.column('model').doUpdateSet((eb) => ({
        entries: eb('historyModelAnalytics.entries', '+', eb.ref('excluded.entries')),
        assessedEntries: eb('historyModelAnalytics.assessedEntries', '+', eb.ref('excluded.assessedEntries')),
        assessments: eb('historyModelAnalytics.assessments', '+', eb.ref('excluded.assessments')),
        scoreSumE4: eb('historyModelAnalytics.scoreSumE4', '+', eb.ref('excluded.scoreSumE4')),
        updatedAt: eb.fn('greatest', ['historyModelAnalytics.updatedAt', 'excluded.updatedAt']),
      })),
    )
    .returning(one);

/** Adds histogram deltas to their buckets. */
const addToBuckets = (db: QueryCreator<Tables>, rows: readonly ScoreBucketRow[]) =>
  insertRows(db, 'historyModelScoreBuckets', rows)
    .onConflict((conflict) =>
      conflict.columns(['model', 'bucket']).doUpdateSet((eb) => ({ count: eb('historyModelScoreBuckets.count', '+', eb.ref('excluded.count')) })),
    )
    .returning(one);

/** Adds daily deltas to their days. */
const addToDaily = (db: QueryCreator<Tables>, rows: readonly DailyRow[]) =>
  insertRows(db, 'historyModelDaily', rows)
    .onConflict((conflict) =>
      conflict.columns(['model', 'day']).doUpdateSet((eb) => ({
        assessments: eb('historyModelDaily.assessments', '+', eb.ref('excluded.assessments')),
        scoreSumE4: eb('historyModelDaily.scoreSumE4', '+', eb.ref('excluded.scoreSumE4')),
      })),
    )
    .returning(one);

/**
 * Writes entry-projection rows in ONE statement of data-modifying CTEs (one round trip per
 * command, the same statement text whatever the rows): state rows are upserted, analytics rows
 * added (summed per key first, see {@link summed}).
 */
async function writeEntryRows(sql: SqlClient, rows: readonly EntryProjectionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const pick = <K extends EntryProjectionRow['kind']>(kind: K) =>
    rows.flatMap((row) => (row.kind === kind ? [row.row as Extract<EntryProjectionRow, { kind: K }>['row']] : []));
  const buckets = bucketsOf(pick('bucket'));
  const kysely = kyselyOver(sql);
  await kysely
    .with('entries', () => upsertEntries(kysely, pick('entry')))
    .with('versions', () => insertVersions(kysely, pick('version')))
    .with('assessments', () => insertAssessments(kysely, pick('assessment')))
    .with('totals', () => addToTotals(kysely, totalsOf(pick('totals'))))
    .with('buckets', () => addToBuckets(kysely, buckets))
    .with('daily', () => addToDaily(kysely, dailyOf(pick('daily'))))
    // Every part runs to completion whether or not the final SELECT reads it.
    .selectNoFrom((eb) => eb.lit(1).as('done'))
    .execute();
  // An emptied bucket is no bucket, so the table equals a rebuild's. Only a decrease can empty one
  // (a re-assessment that moved the score, or a deletion); the statement above cannot see its own
  // effects, so this is a second one.
  const decreased = [...new Set(buckets.filter((row) => row.count < 0).map((row) => row.model))];
  if (decreased.length > 0) {
    await kysely
      .deleteFrom('historyModelScoreBuckets')
      .where('count', '=', 0)
      .where('model', '=', (eb) => eb.fn.any(columnArray('historyModelScoreBuckets', 'model', decreased)))
      .execute();
  }
}
