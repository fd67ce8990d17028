import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { foldStream, type StreamProjection } from '../../shared/projections/stream-projection.js';
import { ENTRY_CATEGORY, type EntryEvent } from '../domain/index.js';
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
export function evolveEntryProjection(state: EntryProjectionState, recorded: RecordedEvent): EntryProjectionState {
  const event = recorded as unknown as EntryEvent & RecordedEvent;
  const at = recorded.occurredAt;
  switch (event.type) {
    case 'EntryCreated': {
      const { data } = event;
      const entry: EntryRow = {
        id: data.entryId,
        model: data.model,
        prompt: data.prompt,
        content: data.content,
        version: 1,
        streamVersion: recorded.version,
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
        createdPosition: recorded.position,
        position: recorded.position,
        createdAt: at,
        updatedAt: at,
      };
      return {
        entry,
        versions: [versionRow(entry, recorded)],
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
        streamVersion: recorded.version,
        position: recorded.position,
        updatedAt: at,
      };
      return {
        ...state,
        entry,
        versions: [...state.versions, versionRow(entry, recorded)],
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
          deletedPosition: recorded.position,
          streamVersion: recorded.version,
          position: recorded.position,
          updatedAt: at,
        },
        contribution: { ...state.contribution, live: false, updatedAt: at },
      };
    }
    case 'QualityAssessed': {
      if (!state.entry || !state.contribution) return state;
      const { data } = event;
      const assessment = assessmentRowOf(recorded)!;
      const scoreE4 = scoreToE4(data.score);
      const day = dayOf(at);
      const tally = state.contribution.daily[day] ?? { assessments: 0, scoreSumE4: 0 };
      return {
        entry: {
          ...state.entry,
          assessmentCount: state.entry.assessmentCount + 1,
          latestAssessmentId: data.assessmentId,
          latestScore: data.score,
          streamVersion: recorded.version,
          position: recorded.position,
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
export function assessmentRowOf(recorded: RecordedEvent): AssessmentRow | undefined {
  const event = recorded as unknown as EntryEvent;
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
    position: recorded.position,
    assessedAt: recorded.occurredAt,
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

const json = (value: unknown): string => JSON.stringify(value);
const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/**
 * Entries, versions, assessments and per-model analytics, from the `entry-<id>` streams. One
 * projection for the category, because a rebuild routes each category to one projection.
 *
 * Entry, version and assessment rows are upserted (state). Analytics rows are *added* (see
 * analytics.ts): `toRows` gives a stream's whole contribution, which a rebuild adds to empty tables;
 * the inline path ({@link projectEntryStream}) passes only the change the new events made.
 */
export const entryProjection: StreamProjection<EntryProjectionState, EntryProjectionRow> = {
  name: 'history-entries',
  category: ENTRY_CATEGORY,
  tables: [
    'history_entries',
    'history_entry_versions',
    'history_assessments',
    'history_model_analytics',
    'history_model_score_buckets',
    'history_model_daily',
  ],
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
export async function projectEntryStream(tx: SqlClient, history: readonly RecordedEvent[], appended: readonly RecordedEvent[]): Promise<EntryProjectionState> {
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

/** Builds one statement of data-modifying CTEs, numbering the parameters of each part. */
class StatementBuilder {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds `WITH name AS (sql)`; `sql` receives a function naming the part's i-th parameter. */
  add(name: string, values: readonly unknown[], sql: (p: (index: number) => string) => string): void {
    const base = this.params.length;
    this.params.push(...values);
    this.parts.push(`${name} AS (${sql((index) => `$${base + index}`)})`);
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Every part runs to completion whether or not the final SELECT reads it. */
  toSql(): string {
    return `WITH ${this.parts.join(',\n')} SELECT 1`;
  }
}

/**
 * Writes entry-projection rows in ONE statement (one round trip per command): state rows are
 * upserted, analytics rows added (summed per key first, since a rebuild chunk holds many streams
 * of one model, and in key order so that concurrent writers lock rows in the same order).
 */
async function writeEntryRows(sql: SqlClient, rows: readonly EntryProjectionRow[]): Promise<void> {
  const pick = <K extends EntryProjectionRow['kind']>(kind: K) =>
    rows.flatMap((row) => (row.kind === kind ? [row.row as Extract<EntryProjectionRow, { kind: K }>['row']] : []));
  const entries = pick('entry');
  const versions = pick('version');
  const assessments = pick('assessment');
  const totals = pick('totals');
  const buckets = pick('bucket');
  const daily = pick('daily');
  const statement = new StatementBuilder();

  if (entries.length > 0) {
    statement.add(
      'entries',
      [
        entries.map((row) => row.id),
        entries.map((row) => row.model),
        entries.map((row) => row.prompt),
        entries.map((row) => row.content),
        entries.map((row) => row.version),
        entries.map((row) => row.streamVersion),
        entries.map((row) => row.subjectType),
        entries.map((row) => row.subjectId),
        entries.map((row) => json(row.metrics)),
        entries.map((row) => row.analyzerName),
        entries.map((row) => row.analyzerVersion),
        entries.map((row) => row.deleted),
        entries.map((row) => iso(row.deletedAt)),
        entries.map((row) => row.deleteReason),
        entries.map((row) => row.deletedPosition),
        entries.map((row) => row.assessmentCount),
        entries.map((row) => row.latestAssessmentId),
        entries.map((row) => row.latestScore),
        entries.map((row) => row.createdPosition),
        entries.map((row) => row.position),
        entries.map((row) => row.createdAt.toISOString()),
        entries.map((row) => row.updatedAt.toISOString()),
      ],
      (p) => `INSERT INTO history_entries (id, model, prompt, content, version, stream_version, subject_type, subject_id, metrics,
         analyzer_name, analyzer_version, deleted, deleted_at, delete_reason, deleted_position, assessment_count,
         latest_assessment_id, latest_score, created_position, position, created_at, updated_at)
       SELECT t.id, t.model, t.prompt, t.content, t.version, t.stream_version, t.subject_type, t.subject_id, t.metrics::jsonb,
         t.analyzer_name, t.analyzer_version, t.deleted, t.deleted_at, t.delete_reason, t.deleted_position, t.assessment_count,
         t.latest_assessment_id, t.latest_score, t.created_position, t.position, t.created_at, t.updated_at
       FROM unnest(${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::int[], ${p(6)}::int[], ${p(7)}::text[],
         ${p(8)}::text[], ${p(9)}::text[], ${p(10)}::text[], ${p(11)}::text[], ${p(12)}::boolean[], ${p(13)}::timestamptz[], ${p(14)}::text[],
         ${p(15)}::bigint[], ${p(16)}::int[], ${p(17)}::text[], ${p(18)}::float8[], ${p(19)}::bigint[], ${p(20)}::bigint[],
         ${p(21)}::timestamptz[], ${p(22)}::timestamptz[])
         AS t(id, model, prompt, content, version, stream_version, subject_type, subject_id, metrics,
           analyzer_name, analyzer_version, deleted, deleted_at, delete_reason, deleted_position, assessment_count,
           latest_assessment_id, latest_score, created_position, position, created_at, updated_at)
       ON CONFLICT (id) DO UPDATE SET prompt = EXCLUDED.prompt, content = EXCLUDED.content, version = EXCLUDED.version,
         stream_version = EXCLUDED.stream_version, metrics = EXCLUDED.metrics, analyzer_name = EXCLUDED.analyzer_name,
         analyzer_version = EXCLUDED.analyzer_version, deleted = EXCLUDED.deleted, deleted_at = EXCLUDED.deleted_at,
         delete_reason = EXCLUDED.delete_reason, deleted_position = EXCLUDED.deleted_position,
         assessment_count = EXCLUDED.assessment_count, latest_assessment_id = EXCLUDED.latest_assessment_id,
         latest_score = EXCLUDED.latest_score, position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    );
  }
  if (versions.length > 0) {
    statement.add(
      'versions',
      [
        versions.map((row) => row.entryId),
        versions.map((row) => row.version),
        versions.map((row) => row.model),
        versions.map((row) => row.prompt),
        versions.map((row) => row.content),
        versions.map((row) => json(row.metrics)),
        versions.map((row) => row.analyzerName),
        versions.map((row) => row.analyzerVersion),
        versions.map((row) => row.position),
        versions.map((row) => row.createdAt.toISOString()),
      ],
      (p) => `INSERT INTO history_entry_versions (entry_id, version, model, prompt, content, metrics, analyzer_name, analyzer_version, position, created_at)
       SELECT t.entry_id, t.version, t.model, t.prompt, t.content, t.metrics::jsonb, t.analyzer_name, t.analyzer_version, t.position, t.created_at
       FROM unnest(${p(1)}::text[], ${p(2)}::int[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[],
         ${p(8)}::text[], ${p(9)}::bigint[], ${p(10)}::timestamptz[])
         AS t(entry_id, version, model, prompt, content, metrics, analyzer_name, analyzer_version, position, created_at)
       ON CONFLICT (entry_id, version) DO NOTHING`,
    );
  }
  if (assessments.length > 0) {
    statement.add(
      'assessments',
      [
        assessments.map((row) => row.id),
        assessments.map((row) => row.entryId),
        assessments.map((row) => row.entryVersion),
        assessments.map((row) => row.model),
        assessments.map((row) => row.score),
        assessments.map((row) => json(row.dimensions)),
        assessments.map((row) => row.assessorName),
        assessments.map((row) => row.assessorVersion),
        assessments.map((row) => row.jobId),
        assessments.map((row) => row.position),
        assessments.map((row) => row.assessedAt.toISOString()),
      ],
      (p) => `INSERT INTO history_assessments (id, entry_id, entry_version, model, score, dimensions, assessor_name, assessor_version, job_id, position, assessed_at)
       SELECT t.id, t.entry_id, t.entry_version, t.model, t.score, t.dimensions::jsonb, t.assessor_name, t.assessor_version, t.job_id, t.position, t.assessed_at
       FROM unnest(${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::text[], ${p(5)}::float8[], ${p(6)}::text[], ${p(7)}::text[],
         ${p(8)}::text[], ${p(9)}::text[], ${p(10)}::bigint[], ${p(11)}::timestamptz[])
         AS t(id, entry_id, entry_version, model, score, dimensions, assessor_name, assessor_version, job_id, position, assessed_at)
       ON CONFLICT (id) DO NOTHING`,
    );
  }
  if (totals.length > 0) {
    statement.add(
      'totals',
      [
        totals.map((row) => row.model),
        totals.map((row) => row.entries),
        totals.map((row) => row.assessedEntries),
        totals.map((row) => row.assessments),
        totals.map((row) => String(row.scoreSumE4)),
        totals.map((row) => row.updatedAt.toISOString()),
      ],
      (p) => `INSERT INTO history_model_analytics AS a (model, entries, assessed_entries, assessments, score_sum_e4, updated_at)
       SELECT t.model, sum(t.entries)::int, sum(t.assessed_entries)::int, sum(t.assessments)::int, sum(t.score_sum_e4)::bigint, max(t.updated_at)
       FROM unnest(${p(1)}::text[], ${p(2)}::int[], ${p(3)}::int[], ${p(4)}::int[], ${p(5)}::bigint[], ${p(6)}::timestamptz[])
         AS t(model, entries, assessed_entries, assessments, score_sum_e4, updated_at)
       GROUP BY t.model ORDER BY t.model
       ON CONFLICT (model) DO UPDATE SET entries = a.entries + EXCLUDED.entries,
         assessed_entries = a.assessed_entries + EXCLUDED.assessed_entries, assessments = a.assessments + EXCLUDED.assessments,
         score_sum_e4 = a.score_sum_e4 + EXCLUDED.score_sum_e4, updated_at = GREATEST(a.updated_at, EXCLUDED.updated_at)`,
    );
  }
  if (buckets.length > 0) {
    statement.add(
      'buckets',
      [buckets.map((row) => row.model), buckets.map((row) => row.bucket), buckets.map((row) => row.count)],
      (p) => `INSERT INTO history_model_score_buckets AS b (model, bucket, count)
       SELECT t.model, t.bucket, sum(t.count)::int FROM unnest(${p(1)}::text[], ${p(2)}::int[], ${p(3)}::int[]) AS t(model, bucket, count)
       GROUP BY t.model, t.bucket ORDER BY t.model, t.bucket
       ON CONFLICT (model, bucket) DO UPDATE SET count = b.count + EXCLUDED.count`,
    );
  }
  if (daily.length > 0) {
    statement.add(
      'daily',
      [daily.map((row) => row.model), daily.map((row) => row.day), daily.map((row) => row.assessments), daily.map((row) => String(row.scoreSumE4))],
      (p) => `INSERT INTO history_model_daily AS d (model, day, assessments, score_sum_e4)
       SELECT t.model, t.day, sum(t.assessments)::int, sum(t.score_sum_e4)::bigint
       FROM unnest(${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::bigint[]) AS t(model, day, assessments, score_sum_e4)
       GROUP BY t.model, t.day ORDER BY t.model, t.day
       ON CONFLICT (model, day) DO UPDATE SET assessments = d.assessments + EXCLUDED.assessments,
         score_sum_e4 = d.score_sum_e4 + EXCLUDED.score_sum_e4`,
    );
  }
  if (statement.empty) return;
  await sql.query(statement.toSql(), statement.params);
  // An emptied bucket is no bucket, so the table equals a rebuild's. Only a decrease can empty one
  // (a re-assessment that moved the score, or a deletion); the statement above cannot see its own
  // effects, so this is a second one.
  const decreased = buckets.filter((row) => row.count < 0);
  if (decreased.length > 0) {
    await sql.query(`DELETE FROM history_model_score_buckets WHERE count = 0 AND model = ANY($1::text[])`, [
      [...new Set(decreased.map((row) => row.model))],
    ]);
  }
}
