import type { Logger } from 'pino';
import type { EventBus } from '../bus/contract.js';
import type { SqlClient } from '../database/sql.js';
import { LOG_START, cursorOf, type LogCursor } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';

export interface PublisherOptions {
  readonly sql: SqlClient;
  readonly bus: EventBus;
  /** Checkpoint name; one per bus. */
  readonly name?: string;
  readonly batchSize?: number;
  /** Fallback poll for commits made by other processes. */
  readonly pollIntervalMs?: number;
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Longest pause between passes while committed events are left unpublished. */
const WAITING_MAX_DELAY_MS = 50;

/** Publishers of one database take turns through this advisory lock (any process may lead). */
const PUBLISHER_LOCK = 0x7472_6962; // "trib"

/**
 * Tails the event store from a checkpoint kept in the database and publishes every event to the
 * bus, at least once: the checkpoint moves only after the bus accepted the batch. `wake()` right
 * after a commit keeps latency low; polling catches commits made by other processes.
 */
export class EventPublisher {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private running = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private published = 0;
  /** Where the last committed pass left the checkpoint. */
  private seen: LogCursor = LOG_START;
  /** Consecutive passes after which committed events were still left unpublished. */
  private waiting = 0;

  constructor(private readonly options: PublisherOptions) {
    this.name = options.name ?? 'bus-publisher';
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
  }

  /** Events published since start (for metrics and tests). */
  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks for a publishing pass now (called after each commit in this process). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      let more = false;
      try {
        more = await this.publishBatch();
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 50 === 0) {
          this.options.logger?.warn({ err: error, failures: this.failures }, 'publisher could not publish; retrying');
        }
      }
      if (more || this.wakeRequested || !this.running) continue;
      let delay = this.pollIntervalMs;
      if (this.failures > 0) delay = Math.min(25 * 2 ** Math.min(this.failures, 6), 1000);
      else {
        // Committed events the pass could not publish wait behind an older running transaction
        // (readAll is commit-safe). It may belong to another process, whose commit wakes nobody
        // here: look again soon rather than after a whole poll interval.
        this.waiting = (await this.eventsAfter(this.seen)) ? this.waiting + 1 : 0;
        if (this.wakeRequested || !this.running) continue;
        if (this.waiting > 0) delay = Math.min(2 ** Math.min(this.waiting, 6), WAITING_MAX_DELAY_MS, this.pollIntervalMs);
      }
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /** True when committed events exist after `cursor` (ignoring commit safety). */
  private async eventsAfter(cursor: LogCursor): Promise<boolean> {
    try {
      const rows = await this.options.sql.query<{ found: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::bigint, $2::bigint)) AS found',
        [cursor.transactionId, cursor.position],
      );
      return rows[0]?.found === true;
    } catch {
      return false;
    }
  }

  /** One pass: publish up to a batch; true when more may be waiting. */
  async publishBatch(): Promise<boolean> {
    let seen: LogCursor | undefined;
    const more = await this.options.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PUBLISHER_LOCK]);
      const from = await readCheckpoint(tx, this.name);
      seen = from;
      const events = await new SqlEventStore(tx).readAll(from, { limit: this.batchSize });
      if (events.length === 0) return false;
      await this.options.bus.publish(events);
      // The commit need not wait for the disk: a checkpoint lost in a crash only means the batch
      // is published again (at least once), and the publisher is ready for the next wake sooner.
      await tx.query('SET LOCAL synchronous_commit = off');
      seen = cursorOf(events[events.length - 1]!);
      await writeCheckpoint(tx, this.name, seen);
      this.published += events.length;
      return events.length === this.batchSize;
    });
    if (seen) this.seen = seen;
    return more;
  }
}

/** Where consumer `name` stopped; the log start when it never ran. */
export async function readCheckpoint(sql: SqlClient, name: string): Promise<LogCursor> {
  const rows = await sql.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id, position FROM checkpoints WHERE name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { transactionId: String(row.transaction_id), position: String(row.position) } : LOG_START;
}

export async function writeCheckpoint(sql: SqlClient, name: string, cursor: LogCursor): Promise<void> {
  await sql.query(
    `INSERT INTO checkpoints (name, transaction_id, position, updated_at) VALUES ($1, $2::bigint, $3::bigint, now())
     ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
    [name, cursor.transactionId, cursor.position],
  );
}
