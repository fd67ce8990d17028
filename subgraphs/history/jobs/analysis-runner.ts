import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { foldEvents } from '../../shared/decider/decider.js';
import { ErrorCode, isDomainError } from '../../shared/errors/codes.js';
import type { EventMetadata } from '../../shared/event-store/contract.js';
import type { Platform } from '../../shared/platform.js';
import type { HistoryCommands } from '../commands/history-commands.js';
import type { HistoryPlugins } from '../config.js';
import { ANALYSIS_EVENTS, HistoryErrorReason, analysisDecider, analysisStreamId, type AnalysisState } from '../domain/index.js';
import { entryFilter } from '../read-models/entry-filter.js';
import { JobLeases } from './leases.js';

export interface AnalysisRunnerOptions {
  readonly platform: Platform;
  readonly commands: HistoryCommands;
  readonly plugins: HistoryPlugins;
  readonly logger: Logger;
  /** This runner's name in the leases table; unique per process by default. */
  readonly owner?: string;
  /** How long a lease lasts without a heartbeat (ms). A crashed runner's jobs resume after it. */
  readonly leaseMs?: number;
  /** How often RUNNING jobs are looked for, besides `wake()` (ms). */
  readonly pollIntervalMs?: number;
  /** A checkpoint (AnalysisProgressed) every this many entries, and one at the end. */
  readonly progressEvery?: number;
  /** Entries read per query. */
  readonly batchSize?: number;
  /**
   * Assessments of one job in flight at once (default 4): overlaps commit latency on PostgreSQL;
   * on the embedded database they simply queue. Checkpoints stay exact multiples of progressEvery.
   */
  readonly concurrency?: number;
}

/** The idempotency key of one entry's assessment by one job (at most 200 characters). */
export function analysisIdempotencyKey(jobId: string, entryId: string): string {
  const key = `analysis:${jobId}:${entryId}`;
  return key.length <= 200 ? key : `analysis:${createHash('sha256').update(`${jobId}\u0000${entryId}`).digest('hex')}`;
}

/**
 * Lets timers and I/O run. With an embedded database every query resolves as a microtask, so a
 * loop of commands would otherwise hold the event loop (HTTP, heartbeats) until the job ends.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface JobControl {
  lost: boolean;
}

/**
 * Runs analysis jobs in the background. A job is processed by whoever holds its lease; entries go
 * in id order from the cursor of the job's last checkpoint. Each entry is assessed by a command
 * with the idempotency key `analysis:<jobId>:<entryId>`, so entries handled after the last
 * checkpoint by a runner that stopped or crashed are replayed, not assessed again. Progress is
 * checkpointed every `progressEvery` entries and at the end; the decider refuses progress that
 * does not move forward, so checkpoints are monotonic whatever happens.
 */
export class AnalysisRunner {
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly progressEvery: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly leases: JobLeases;
  private readonly active = new Map<string, Promise<void>>();
  private readonly retryAt = new Map<string, { at: number; failures: number }>();
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: AnalysisRunnerOptions) {
    this.owner = options.owner ?? `history-runner-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.progressEvery = Math.max(1, options.progressEvery ?? 25);
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.leases = new JobLeases(options.platform.db.sql, this.owner, this.leaseMs);
  }

  /** Job ids this runner is processing now. */
  get activeJobs(): string[] {
    return [...this.active.keys()];
  }

  /** Starts looking for RUNNING jobs (resuming the ones a previous process left). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.schedule();
  }

  /** Looks for jobs now (called after a job was started in this process). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** Stops after the entry each job is on, and gives the leases up. Progress since the last checkpoint is redone (as replays) by whoever resumes. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.active.values()]);
    this.running = false;
  }

  private async schedule(): Promise<void> {
    while (!this.stopping) {
      this.wakeRequested = false;
      try {
        await this.claimJobs();
      } catch (error) {
        if (!this.stopping) this.options.logger.warn({ err: error }, 'looking for analysis jobs failed');
      }
      if (this.stopping) break;
      if (!this.wakeRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  private async claimJobs(): Promise<void> {
    const rows = await this.options.platform.db.kysely
      .selectFrom('historyAnalysisJobs')
      .select('id')
      .where('status', '=', 'RUNNING')
      .orderBy('startedAt')
      .orderBy('id')
      .execute();
    for (const { id } of rows) {
      if (this.stopping) return;
      if (this.active.has(id)) continue;
      const retry = this.retryAt.get(id);
      if (retry && retry.at > Date.now()) continue;
      if (!(await this.leases.claim(id))) continue;
      const task = this.runJob(id).finally(() => this.active.delete(id));
      this.active.set(id, task);
    }
  }

  private async runJob(jobId: string): Promise<void> {
    const control: JobControl = { lost: false };
    const logger = this.options.logger.child({ jobId });
    const heartbeat = setInterval(
      () => {
        this.leases.renew(jobId).then(
          (held) => {
            if (!held) control.lost = true;
          },
          (error: unknown) => logger.warn({ err: error }, 'analysis lease heartbeat failed'),
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    try {
      await this.process(jobId, control, logger);
      this.retryAt.delete(jobId);
    } catch (error) {
      const reason = isDomainError(error) ? error.extensions.reason : undefined;
      if (reason === HistoryErrorReason.PROGRESS_NOT_MONOTONIC || reason === HistoryErrorReason.JOB_NOT_RUNNING) {
        // Another runner got ahead (or finished the job): it is theirs now.
        logger.warn({ err: error }, 'analysis job moved on elsewhere; leaving it');
      } else if (isDomainError(error) && error.code !== ErrorCode.CONCURRENCY_CONFLICT && !this.stopping && !control.lost) {
        // Refused by a decider (not a lost connection): retrying would be refused again.
        logger.error({ err: error }, 'analysis job failed');
        await this.options.commands
          .failAnalysis(jobId, `${error.code}: ${error.message}`, { correlationId: `analysis-${jobId}`, actor: 'history-analysis-runner' })
          .catch((failure: unknown) => logger.warn({ err: failure }, 'could not record the failure of an analysis job'));
      } else if (!this.stopping) {
        const failures = (this.retryAt.get(jobId)?.failures ?? 0) + 1;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.retryAt.set(jobId, { at: Date.now() + delay, failures });
        logger.warn({ err: error, retryInMs: delay }, 'analysis job interrupted; it will be resumed');
      }
    } finally {
      clearInterval(heartbeat);
      if (!control.lost) await this.leases.release(jobId).catch(() => undefined);
    }
  }

  private async loadJob(jobId: string): Promise<AnalysisState> {
    const events = await this.options.platform.store.withEvents(ANALYSIS_EVENTS).readStream(analysisStreamId(jobId));
    return foldEvents(analysisDecider, events);
  }

  /** The next entries of the job after `cursor`, in id order. */
  private async nextEntries(state: AnalysisState, cursor: string | null): Promise<string[]> {
    const asOf = state.asOfPosition;
    // The entries that existed (and were not deleted) at the job's start position.
    const rows = await this.options.platform.db.kysely
      .selectFrom('historyEntries')
      .select('id')
      .where('createdPosition', '<=', asOf)
      .where((eb) => eb.or([eb('deletedPosition', 'is', null), eb('deletedPosition', '>', asOf)]))
      .$if(cursor !== null, (query) => query.where('id', '>', cursor!))
      .where(entryFilter(state.filter!))
      .orderBy('id')
      .limit(this.batchSize)
      .execute();
    return rows.map((row) => row.id);
  }

  private async process(jobId: string, control: JobControl, logger: Logger): Promise<void> {
    const { commands, plugins } = this.options;
    const state = await this.loadJob(jobId);
    if (state.status !== 'RUNNING' || !state.assessor || !state.filter) return;
    const metadata: EventMetadata = { correlationId: `analysis-${jobId}`, causationId: `analysis:${jobId}`, actor: 'history-analysis-runner' };
    if (!plugins.assessor(state.assessor.name)) {
      await commands.failAnalysis(jobId, `quality assessor "${state.assessor.name}" is not registered`, metadata);
      return;
    }
    const halted = () => this.stopping || control.lost;
    let { processed, assessed, skipped, cursor } = state;
    let checkpoint = processed;
    if (processed > 0) logger.info({ processed, cursor }, 'resuming analysis job');

    for (;;) {
      if (halted()) return;
      const batch = await this.nextEntries(state, cursor);
      if (batch.length === 0) break;
      for (let offset = 0; offset < batch.length;) {
        await yieldToEventLoop();
        if (halted()) return;
        // A chunk never crosses a checkpoint, so checkpoints land on exact multiples.
        const room = this.progressEvery - (processed - checkpoint);
        const chunk = batch.slice(offset, offset + Math.min(this.concurrency, room));
        const outcomes = await Promise.allSettled(chunk.map((entryId) => this.assess(jobId, entryId, state.assessor!.name, metadata)));
        const failure = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failure) throw failure.reason;
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled' && outcome.value) assessed += 1;
          else skipped += 1;
        }
        processed += chunk.length;
        offset += chunk.length;
        cursor = chunk[chunk.length - 1]!;
        if (processed - checkpoint >= this.progressEvery) {
          if (halted()) return;
          await commands.recordProgress(jobId, { processed, assessed, skipped, cursor }, metadata);
          checkpoint = processed;
        }
      }
    }
    if (halted()) return;
    await commands.completeAnalysis(jobId, { processed, assessed, skipped, cursor }, metadata);
    logger.info({ processed, assessed, skipped }, 'analysis job completed');
  }

  /** Assesses one entry for the job; false when it cannot be assessed any more (deleted). */
  private async assess(jobId: string, entryId: string, assessor: string, metadata: EventMetadata): Promise<boolean> {
    try {
      await this.options.commands.assessQuality({ entryId, assessor, jobId, idempotencyKey: analysisIdempotencyKey(jobId, entryId) }, metadata);
      return true;
    } catch (error) {
      if (isDomainError(error) && (error.code === ErrorCode.NOT_FOUND || error.extensions.reason === HistoryErrorReason.ENTRY_DELETED)) {
        return false;
      }
      throw error;
    }
  }
}
