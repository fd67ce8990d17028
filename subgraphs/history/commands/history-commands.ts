import { randomUUID } from 'node:crypto';
import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { retrying } from '../../shared/commands/retry.js';
import { sql } from 'kysely';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { EventMetadata } from '../../shared/event-store/contract.js';
import type { Platform } from '../../shared/platform.js';
import { projectStream } from '../../shared/projections/stream-projection.js';
import type { HistoryPlugins } from '../config.js';
import {
  ANALYSIS_EVENTS,
  COMPARISON_EVENTS,
  ENTRY_EVENTS,
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
  type AnalysisEvent,
  type AnalysisFilter,
  type ComparedSide,
  type ComparisonEvent,
  type EntryEvent,
  type EntrySubject,
} from '../domain/index.js';
import { analysisJobProjection, comparisonProjection, projectEntryStream } from '../projections/index.js';
import { entryFilter } from '../read-models/entry-filter.js';
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
  const row = await kyselyOver(sql)
    .selectFrom('historyEntries as e')
    .leftJoin('historyEntryVersions as v', (join) =>
      join.onRef('v.entryId', '=', 'e.id').on((eb) => eb('v.version', '=', version != null ? eb.val(version) : eb.ref('e.version'))),
    )
    .select(['e.model', 'e.deleted', 'e.version as latest', 'v.version', 'v.prompt', 'v.content'])
    .where('e.id', '=', entryId)
    .executeTakeFirst();
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

/**
 * Attempts of assessQuality at preparing the version its transaction finds (see prepareAssessment);
 * the last computes what is missing inside the transaction, so it does not fail for want of it.
 */
const MAX_PREPARATIONS = 3;

/** The entry got a new version after it was read: prepare again, at once, for that one. */
const preparationRetry = retrying({ attempts: MAX_PREPARATIONS, retryable: (error) => error instanceof AnalysisNotPrepared, backoff: 'none' });

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
    ): Promise<{ entryId: string; outcome: CommandOutcome<EntryEvent> }> {
      const entryId = input.id ?? randomUUID();
      const request = { model: input.model, prompt: input.prompt ?? null, content: input.content, subject: input.subject ?? null };
      const prepared = await prepareContent(plugins, input.content);
      const outcome = await platform.execute({
        streamId: entryStreamId(entryId),
        events: ENTRY_EVENTS,
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
    ): Promise<{ entryId: string; outcome: CommandOutcome<EntryEvent> }> {
      const prepared = await prepareContent(plugins, input.content);
      const outcome = await platform.execute({
        streamId: entryStreamId(input.id),
        events: ENTRY_EVENTS,
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
        events: ENTRY_EVENTS,
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
    ): Promise<{ entryId: string; assessmentId: string; outcome: CommandOutcome<EntryEvent> }> {
      const assessmentId = randomUUID();
      const request = { entryId: input.entryId, assessor: input.assessor ?? null, jobId: input.jobId ?? null };
      return preparationRetry.run(async (attempt) => {
        const prepared = await prepareAssessment(platform.db.sql, plugins, request, attempt === MAX_PREPARATIONS);
        const outcome = await platform.execute({
          streamId: entryStreamId(input.entryId),
          events: ENTRY_EVENTS,
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
      });
    },

    async compareEntries(
      input: { id?: string | null; leftId: string; rightId: string; leftVersion?: number | null; rightVersion?: number | null } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ comparisonId: string; outcome: CommandOutcome<ComparisonEvent> }> {
      const comparisonId = input.id ?? randomUUID();
      const left = await loadSide(platform.db.sql, input.leftId, input.leftVersion, 'left');
      const right = await loadSide(platform.db.sql, input.rightId, input.rightVersion, 'right');
      const prepared = await prepareComparison(plugins, left, right);
      const outcome = await platform.execute({
        streamId: comparisonStreamId(comparisonId),
        events: COMPARISON_EVENTS,
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
    ): Promise<{ jobId: string; outcome: CommandOutcome<AnalysisEvent> }> {
      const jobId = input.id ?? randomUUID();
      const filter = validateFilter(input.filter);
      const name = validatePluginName(input.assessor, 'assessor');
      const assessor = plugins.assessor(name);
      if (!assessor) throw historyInputError(HistoryErrorReason.UNKNOWN_ASSESSOR, `no quality assessor is registered as "${name}"`, 'assessor');
      // One statement, one snapshot: the count and the position it holds at agree.
      const row = await platform.db.kysely
        .selectNoFrom((eb) => [
          eb
            .selectFrom('events')
            .select(sql<string>`coalesce(max(${sql.ref('position')}), 0)::text`.as('asOf'))
            .as('asOf'),
          eb
            .selectFrom('historyEntries')
            .select(sql<string>`count(*)::text`.as('total'))
            .where('deleted', '=', false)
            .where(entryFilter(filter))
            .as('total'),
        ])
        .executeTakeFirst();
      const outcome = await platform.execute({
        streamId: analysisStreamId(jobId),
        events: ANALYSIS_EVENTS,
        decider: analysisDecider,
        command: {
          type: 'StartAnalysis',
          jobId,
          filter,
          total: Number(row?.total ?? 0),
          asOfPosition: row?.asOf ?? '0',
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
    recordProgress: (jobId: string, counters: { processed: number; assessed: number; skipped: number; cursor: string }, metadata: EventMetadata) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        events: ANALYSIS_EVENTS,
        decider: analysisDecider,
        command: { type: 'RecordAnalysisProgress', jobId, ...counters },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),

    /** Appends the final checkpoint and the completion (runner only). */
    completeAnalysis: (jobId: string, counters: { processed: number; assessed: number; skipped: number; cursor: string | null }, metadata: EventMetadata) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        events: ANALYSIS_EVENTS,
        decider: analysisDecider,
        command: { type: 'CompleteAnalysis', jobId, ...counters },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),

    /** Marks a job failed (runner only). */
    failAnalysis: (jobId: string, error: string, metadata: EventMetadata) =>
      platform.execute({
        streamId: analysisStreamId(jobId),
        events: ANALYSIS_EVENTS,
        decider: analysisDecider,
        command: { type: 'FailAnalysis', jobId, error },
        metadata,
        project: (tx, stream) => projectStream(tx, analysisJobProjection, stream.history),
      }),
  };
  return commands;
}

export type HistoryCommands = ReturnType<typeof historyCommands>;
