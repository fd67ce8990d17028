import { randomUUID } from 'node:crypto';
import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { EventMetadata } from '../../shared/event-store/contract.js';
import type { Platform } from '../../shared/platform.js';
import { projectStream } from '../../shared/projections/stream-projection.js';
import type { HistoryPlugins } from '../config.js';
import {
  HistoryErrorReason,
  analysisDecider,
  analysisStreamId,
  comparisonStreamId,
  createComparisonDecider,
  createEntryDecider,
  entryNotFound,
  entryStreamId,
  historyInputError,
  validateFilter,
  validatePluginName,
  validateVersion,
  type AnalysisFilter,
  type ComparedSide,
  type EntrySubject,
} from '../domain/index.js';
import { analysisJobProjection, comparisonProjection, projectEntryStream } from '../projections/index.js';
import { entryFilterSql } from '../read-models/entry-filter.js';
import { prepareAssessment, prepareComparison, prepareContent } from './prepare-analysis.js';
import { AnalysisNotPrepared } from './prepared-analysis.js';

/** What every command input may carry besides its own fields. */
export interface CommandOptions {
  readonly expectedVersion?: number | null;
  readonly idempotencyKey?: string | null;
}

/**
 * An id the first run of a command chose, read back from its events: a replay (same idempotency
 * key) answers with what the first run created, not with a newly generated id.
 */
function idFromEvents(outcome: CommandOutcome, field: string, fallback: string): string {
  const value = (outcome.events[0]?.data as Record<string, unknown> | undefined)?.[field];
  return outcome.replayed && typeof value === 'string' ? value : fallback;
}

/** Loads one side of a comparison from the read models. */
async function loadSide(sql: SqlClient, entryId: string, version: number | null | undefined, side: 'left' | 'right'): Promise<ComparedSide> {
  if (version != null) validateVersion(version, `${side}Version`);
  const [row] = await sql.query<{
    model: string;
    deleted: boolean;
    latest: number;
    version: number | null;
    prompt: string | null;
    content: string | null;
  }>(
    `SELECT e.model, e.deleted, e.version AS latest, v.version, v.prompt, v.content
     FROM history_entries e LEFT JOIN history_entry_versions v ON v.entry_id = e.id AND v.version = coalesce($2::int, e.version)
     WHERE e.id = $1`,
    [entryId, version ?? null],
  );
  if (!row) throw entryNotFound(entryId, `${side}Id`);
  if (row.version === null || row.content === null) {
    throw historyInputError(
      HistoryErrorReason.UNKNOWN_VERSION,
      `history entry ${entryId} has no version ${version} (latest is ${row.latest})`,
      `${side}Version`,
    );
  }
  return { entryId, version: row.version, model: row.model, prompt: row.prompt, content: row.content, deleted: row.deleted };
}

/** Attempts of assessQuality at preparing the version its transaction finds (see prepareAssessment). */
const MAX_PREPARATIONS = 3;

/**
 * Application service of the history subgraph: loads what deciders need, runs the analyzers
 * before the transaction (on the analysis threads: see `prepared-analysis.ts`), then decides,
 * appends and projects inline. A transaction that is retried decides again but computes nothing.
 */
export function historyCommands(platform: Platform, plugins: HistoryPlugins) {
  const entryDecider = createEntryDecider(plugins.entry);
  const projectEntry = (tx: SqlClient, stream: { history: Parameters<typeof projectEntryStream>[1]; appended: Parameters<typeof projectEntryStream>[2] }) =>
    projectEntryStream(tx, stream.history, stream.appended).then(() => undefined);

  const commands = {
    async createEntry(
      input: { id?: string | null; model: string; prompt?: string | null; content: string; subject?: EntrySubject | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ entryId: string; outcome: CommandOutcome }> {
      const entryId = input.id ?? randomUUID();
      const request = { model: input.model, prompt: input.prompt ?? null, content: input.content, subject: input.subject ?? null };
      const prepared = await prepareContent(plugins, input.content);
      const outcome = await platform.execute({
        streamId: entryStreamId(entryId),
        decider: createEntryDecider(prepared.entryPlugins(plugins.entry)),
        command: { type: 'CreateEntry', entryId, ...request },
        expectedVersion: input.expectedVersion,
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: { type: 'CreateEntry', id: input.id ?? null, ...request },
        metadata,
        project: projectEntry,
      });
      return { entryId: idFromEvents(outcome, 'entryId', entryId), outcome };
    },

    async updateEntry(
      input: { id: string; content: string; prompt?: string | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ entryId: string; outcome: CommandOutcome }> {
      const prepared = await prepareContent(plugins, input.content);
      const outcome = await platform.execute({
        streamId: entryStreamId(input.id),
        decider: createEntryDecider(prepared.entryPlugins(plugins.entry)),
        command: { type: 'UpdateEntry', entryId: input.id, content: input.content, ...(input.prompt !== undefined ? { prompt: input.prompt } : {}) },
        expectedVersion: input.expectedVersion,
        idempotencyKey: input.idempotencyKey,
        metadata,
        project: projectEntry,
      });
      return { entryId: input.id, outcome };
    },

    async deleteEntry(input: { id: string; reason?: string | null } & CommandOptions, metadata: EventMetadata) {
      const outcome = await platform.execute({
        streamId: entryStreamId(input.id),
        decider: entryDecider,
        command: { type: 'DeleteEntry', entryId: input.id, reason: input.reason ?? null },
        expectedVersion: input.expectedVersion,
        idempotencyKey: input.idempotencyKey,
        metadata,
        project: projectEntry,
      });
      return { entryId: input.id, outcome };
    },

    async assessQuality(
      input: { entryId: string; assessor?: string | null; jobId?: string | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ entryId: string; assessmentId: string; outcome: CommandOutcome }> {
      const assessmentId = randomUUID();
      const request = { entryId: input.entryId, assessor: input.assessor ?? null, jobId: input.jobId ?? null };
      for (let attempt = 1; ; attempt += 1) {
        const prepared = await prepareAssessment(platform.db.sql, plugins, request, attempt === MAX_PREPARATIONS);
        try {
          const outcome = await platform.execute({
            streamId: entryStreamId(input.entryId),
            decider: createEntryDecider(prepared.entryPlugins(plugins.entry)),
            command: { type: 'AssessQuality', assessmentId, ...request },
            expectedVersion: input.expectedVersion,
            idempotencyKey: input.idempotencyKey,
            // The assessment id is generated: the key stands for the request, with the default
            // assessor named, so "the default" and its name are the same request.
            idempotencyScope: { type: 'AssessQuality', ...request, assessor: request.assessor ?? plugins.selection.assessor.name },
            metadata,
            project: projectEntry,
          });
          return { entryId: input.entryId, assessmentId: idFromEvents(outcome, 'assessmentId', assessmentId), outcome };
        } catch (error) {
          // The entry got a new version after it was read: assess that one.
          if (!(error instanceof AnalysisNotPrepared)) throw error;
        }
      }
    },

    async compareEntries(
      input: { id?: string | null; leftId: string; rightId: string; leftVersion?: number | null; rightVersion?: number | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ comparisonId: string; outcome: CommandOutcome }> {
      const comparisonId = input.id ?? randomUUID();
      const sql = platform.db.sql;
      const left = await loadSide(sql, input.leftId, input.leftVersion, 'left');
      const right = await loadSide(sql, input.rightId, input.rightVersion, 'right');
      const prepared = await prepareComparison(plugins, left, right);
      const outcome = await platform.execute({
        streamId: comparisonStreamId(comparisonId),
        decider: createComparisonDecider(prepared.comparisonPlugins(plugins.comparison)),
        command: { type: 'CompareEntries', comparisonId, left, right },
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: {
          type: 'CompareEntries',
          id: input.id ?? null,
          leftId: input.leftId,
          rightId: input.rightId,
          leftVersion: input.leftVersion ?? null,
          rightVersion: input.rightVersion ?? null,
        },
        metadata,
        project: (tx, stream) => projectStream(tx, comparisonProjection, stream.history),
      });
      return { comparisonId: idFromEvents(outcome, 'comparisonId', comparisonId), outcome };
    },

    /**
     * Starts an analysis job over the entries matching `filter` now: counts them, records the log
     * position they were counted at, and appends AnalysisStarted. The runner does the rest.
     */
    async startAnalysis(
      input: { id?: string | null; filter?: Partial<AnalysisFilter> | null; assessor?: string | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ jobId: string; outcome: CommandOutcome }> {
      const jobId = input.id ?? randomUUID();
      const filter = validateFilter(input.filter);
      const name = validatePluginName(input.assessor, 'assessor');
      const assessor = plugins.assessor(name);
      if (!assessor) throw historyInputError(HistoryErrorReason.UNKNOWN_ASSESSOR, `no quality assessor is registered as "${name}"`, 'assessor');
      const params: unknown[] = [];
      const where = entryFilterSql(filter, params);
      // One statement, one snapshot: the count and the position it holds at agree.
      const [row] = await platform.db.sql.query<{ as_of: string; total: string }>(
        `SELECT (SELECT coalesce(max(position), 0) FROM events)::text AS as_of,
                (SELECT count(*) FROM history_entries WHERE deleted = false AND ${where})::text AS total`,
        params,
      );
      const outcome = await platform.execute({
        streamId: analysisStreamId(jobId),
        decider: analysisDecider,
        command: {
          type: 'StartAnalysis',
          jobId,
          filter,
          total: Number(row?.total ?? 0),
          asOfPosition: row?.as_of ?? '0',
          assessor: { name: assessor.name, version: assessor.version },
        },
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: { type: 'StartAnalysis', id: input.id ?? null, filter, assessor: name },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      });
      return { jobId: idFromEvents(outcome, 'jobId', jobId), outcome };
    },

    /** Appends a job checkpoint (runner only). */
    recordProgress: (
      jobId: string,
      counters: { processed: number; assessed: number; skipped: number; cursor: string },
      metadata: EventMetadata,
    ) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        decider: analysisDecider,
        command: { type: 'RecordAnalysisProgress', jobId, ...counters },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),

    /** Appends the final checkpoint and the completion (runner only). */
    completeAnalysis: (
      jobId: string,
      counters: { processed: number; assessed: number; skipped: number; cursor: string | null },
      metadata: EventMetadata,
    ) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        decider: analysisDecider,
        command: { type: 'CompleteAnalysis', jobId, ...counters },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),

    /** Marks a job failed (runner only). */
    failAnalysis: (jobId: string, error: string, metadata: EventMetadata) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        decider: analysisDecider,
        command: { type: 'FailAnalysis', jobId, error },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),
  };
  return commands;
}

export type HistoryCommands = ReturnType<typeof historyCommands>;
