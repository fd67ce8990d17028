import type { Logger } from 'pino';
import type { SqlClient, SqlSession } from '../database/sql.js';
import { WakeSignal } from '../publisher/wake-signal.js';
import { tryTakeLease } from './session-lease.js';

export interface LeasedWorkerOptions {
  readonly sql: SqlClient;
  /** The lease: of the workers of one name on a database (one per process), one works at a time. */
  readonly name: string;
  /** One pass of the work; resolves true when more is waiting (the next pass starts at once). */
  readonly pass: () => Promise<boolean>;
  /** Pause between passes, and how often a worker that does not hold the lease tries to take it. */
  readonly intervalMs: number;
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Background work that runs once per database, not once per process: the worker that holds the
 * lease (a session advisory lock on a connection of its own, as the publisher's leader does) runs
 * `pass` every `intervalMs`; the others try to take the lease at the same pace, so when the
 * holder stops or its connection dies, another takes over within an interval.
 */
export class LeasedWorker {
  private readonly signal = new WakeSignal();
  private running = false;
  private holding = false;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(private readonly options: LeasedWorkerOptions) {}

  /** True while this worker holds the lease. */
  get leading(): boolean {
    return this.holding;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the pass under way; resolves once the lease is given back. */
  async stop(): Promise<void> {
    this.running = false;
    this.signal.interruptSleep();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let held = false;
      try {
        held = await this.options.sql.session((session) => this.holdWhileRunning(session));
      } catch (error) {
        this.failed(error, 'could not take or keep its lease');
      }
      if (this.running && !held) await this.signal.sleep(this.options.intervalMs);
    }
  }

  /** Works while it holds the lease on `session`; false when another worker holds it. */
  private async holdWhileRunning(session: SqlSession): Promise<boolean> {
    const lease = await tryTakeLease(session, this.options.name);
    if (!lease) return false;
    let lost = false;
    const forgetLost = session.onLost?.(() => {
      lost = true;
      this.signal.interruptSleep();
    });
    this.holding = true;
    try {
      while (this.running && !lost) {
        let more = false;
        try {
          more = await this.options.pass();
          this.failures = 0;
        } catch (error) {
          this.failed(error, 'pass failed');
        }
        if (!more && this.running && !lost) await this.signal.sleep(this.options.intervalMs);
      }
    } finally {
      this.holding = false;
      forgetLost?.();
      // A lost session is closed by its owner, which drops the lock anyway.
      if (!lost) await lease.release();
    }
    return true;
  }

  private failed(error: unknown, what: string): void {
    this.failures += 1;
    if (this.failures === 1 || this.failures % 50 === 0) {
      this.options.logger?.warn({ err: error, failures: this.failures, lease: this.options.name }, `leased worker ${what}`);
    }
  }
}
