import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { AnalysisTask, AnalysisTaskResults } from './tasks.js';

/** How many analysis threads to run and how long one task may take. */
export interface AnalysisPoolOptions {
  /**
   * Analysis threads; 0 runs the analyzers on the calling thread (the event loop). Default: one
   * less than the cores, at least 1.
   */
  readonly threads?: number;
  /**
   * A task not done this many ms after it was handed to the pool (waiting for a thread included)
   * fails, and a thread still running it is replaced (default 30 000).
   */
  readonly taskTimeoutMs?: number;
}

/** Threads when none are configured: leave a core to the event loop. */
export const defaultAnalysisThreads = (): number => Math.max(1, availableParallelism() - 1);
/** Per-task timeout when none is configured (ms). */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 30_000;
/**
 * Analysis threads run at a lower scheduling priority than the event loop, so that on a busy
 * machine requests get the CPU first and long analyses wait.
 */
const NICE_INCREMENT = 10;

/** Thrown when an analysis task outlives the pool's task timeout. */
export class AnalysisTimeoutError extends Error {
  override readonly name = 'AnalysisTimeoutError';
}

/**
 * A pool of worker threads running {@link AnalysisTask}s (piscina). The threads start with the
 * first task, not before, so a pool that is never used costs nothing, and then stay (about 40 MB
 * each), so later tasks never wait for a thread to load; `close()` lets the tasks under way
 * finish and ends the threads.
 */
export class AnalysisPool {
  readonly threads: number;
  readonly taskTimeoutMs: number;
  private pool: Piscina<AnalysisTask, unknown> | undefined;
  private closed = false;
  private readonly underWay = new Set<Promise<unknown>>();

  constructor(options: AnalysisPoolOptions = {}) {
    this.threads = options.threads ?? defaultAnalysisThreads();
    this.taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
    if (!Number.isSafeInteger(this.threads) || this.threads < 1) {
      throw new Error(`an analysis pool needs at least one thread, got ${this.threads}`);
    }
    if (!(this.taskTimeoutMs > 0)) throw new Error(`the analysis task timeout must be positive, got ${this.taskTimeoutMs}`);
  }

  /** Runs one task on a thread; rejects with {@link AnalysisTimeoutError} past the timeout. */
  async run<T extends AnalysisTask>(task: T): Promise<AnalysisTaskResults[T['kind']]> {
    if (this.closed) throw new Error('the analysis pool is closed');
    const signal = AbortSignal.timeout(this.taskTimeoutMs);
    const running = this.started().run(task, { signal });
    this.underWay.add(running);
    try {
      return (await running) as AnalysisTaskResults[T['kind']];
    } catch (error) {
      if (signal.aborted) {
        throw new AnalysisTimeoutError(`analysis task ${task.kind} "${task.plugin}" did not finish within ${this.taskTimeoutMs} ms`);
      }
      throw error;
    } finally {
      this.underWay.delete(running);
    }
  }

  /** Waits for the tasks under way (queued ones included) and ends the threads; later tasks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.underWay]);
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  private started(): Piscina<AnalysisTask, unknown> {
    this.pool ??= new Piscina<AnalysisTask, unknown>({
      filename: new URL('./worker-entry.mjs', import.meta.url).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      niceIncrement: NICE_INCREMENT,
    });
    return this.pool;
  }
}
