import type { Link } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/contract.js';
import type { SqlClient, SqlSession } from '../database/sql.js';
import { LOG_START, isAfter, type LogCursor } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import { SpanKind, inSpan, linkTo } from '../../../common/telemetry/tracing.js';
import { eventsAfter, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { LeaderNotifier, withLeadership } from './leader-session.js';
import { WakeSignal } from './wake-signal.js';

export { readCheckpoint, writeCheckpoint } from './checkpoint.js';

/** How an EventPublisher reads, publishes and shares the work with publishers of other processes. */
export interface PublisherOptions {
  readonly sql: SqlClient;
  readonly bus: EventBus;
  /** Checkpoint name; one per bus. Publishers of one name on a database take turns leading. */
  readonly name?: string;
  readonly batchSize?: number;
  /** Leader: fallback poll for commits nobody announced. Follower: how often it tries to lead. */
  readonly pollIntervalMs?: number;
  /** Longest time the leader keeps a moved checkpoint in memory only while it is publishing. */
  readonly checkpointIntervalMs?: number;
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Longest pause between passes while committed events are left unpublished. */
const WAITING_MAX_DELAY_MS = 50;

/** How a pass ended: whether more may be waiting, and how long to pause unless woken. */
interface PassOutcome {
  readonly more: boolean;
  readonly pauseMs?: number;
}

/** Links to the traces that appended the events of some encoded runs. */
function appendTraces(runs: ReadonlyArray<{ readonly json: string }>): Link[] {
  const links: Link[] = [];
  for (const run of runs) {
    for (const event of JSON.parse(run.json) as Array<{ metadata?: { traceparent?: string } }>) {
      const link = linkTo(event.metadata?.traceparent);
      if (link) links.push(link);
    }
  }
  return links;
}

/**
 * Tails the event store and publishes every event to the bus, in log order, at least once.
 *
 * Of the publishers with one name on a database (one per process), the leader holds a session
 * advisory lock on a connection of its own and is the only one publishing: a pass is one
 * `readAll` after its in-memory checkpoint, the bus publish, and the checkpoint moves. The others
 * follow: they try to take the lock every `pollIntervalMs`, so when the leader's connection closes
 * (stop, crash, lost connection) one of them takes over within a poll interval.
 *
 * `wake()` right after a commit keeps latency low: on the leader it starts a pass at once, on a
 * follower it NOTIFYs the leader, which LISTENs on its session. Polling catches the rest.
 *
 * The checkpoint table is written lazily: at most every `checkpointIntervalMs` while publishing,
 * when going idle, and on stop. A new leader starts from it, so after a crash of the leader what
 * it published since its last write (about `checkpointIntervalMs` of publishing; a little more
 * after a database crash, as the writes do not wait for the disk) is published again. Delivery is
 * at least once; consumers deduplicate by position.
 */
export class EventPublisher {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly notifier: LeaderNotifier;
  private readonly signal = new WakeSignal();
  private running = false;
  private isLeading = false;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private published = 0;
  /** Everything up to here is on the bus (kept across sessions: a lost one need not republish). */
  private checkpoint: LogCursor = LOG_START;
  /** What the checkpoint table holds, as far as this publisher knows. */
  private saved: LogCursor = LOG_START;
  private savedAt = 0;
  /** Consecutive passes after which committed events were still left unpublished. */
  private waiting = 0;
  /** Callers of publishBatch() waiting for the next pass. */
  private passWaiters: Array<(more: boolean) => void> = [];

  constructor(private readonly options: PublisherOptions) {
    this.name = options.name ?? 'bus-publisher';
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 200;
    this.notifier = new LeaderNotifier(options.sql, this.name, options.logger);
  }

  /**
   * Committed events not yet on the bus (as far as this process can tell: its own checkpoint while
   * it leads, the checkpoint table otherwise), counted up to 100,000, and how long the oldest of
   * them has waited.
   */
  async lag(): Promise<{ events: number; oldestAgeMs: number | undefined }> {
    const cursor = this.leading ? this.checkpoint : await readCheckpoint(this.options.sql, this.name);
    const [row] = await this.options.sql.query<{ events: string; oldest: Date | string | null }>(
      `SELECT count(*)::text AS events, min(occurred_at) AS oldest FROM (
         SELECT occurred_at FROM events WHERE (transaction_id, position) > ($1::bigint, $2::bigint) LIMIT 100000
       ) AS unpublished`,
      [cursor.transactionId, cursor.position],
    );
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
    return { events: Number(row?.events ?? 0), oldestAgeMs: oldest === undefined ? undefined : Math.max(0, Date.now() - oldest) };
  }

  /** Events published since start (for metrics and tests). */
  get publishedCount(): number {
    return this.published;
  }

  /** True while this publisher leads: it holds the lock and publishes. */
  get leading(): boolean {
    return this.isLeading;
  }

  /** Starts leading, or following until the current leader goes away. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks for a publishing pass now (called after each commit in this process). */
  wake(): void {
    if (this.isLeading) this.signal.wake();
    // A new leader publishes at once anyway; until then a NOTIFY may find the current one.
    else if (this.running) this.notifier.notify();
  }

  /** Stops; resolves once the checkpoint is saved and the lock and its connection are given back. */
  async stop(): Promise<void> {
    this.running = false;
    this.signal.interruptSleep();
    await this.loop;
    this.settleWaiters(true);
  }

  /**
   * Asks for a pass now and resolves after it: true while committed events may still be waiting
   * (a full batch went out, events are held back by a running transaction, or the pass failed).
   * A publisher that does not lead tells from the checkpoint table instead, without publishing.
   */
  async publishBatch(): Promise<boolean> {
    if (!this.running || !this.isLeading) return eventsAfter(this.options.sql, await readCheckpoint(this.options.sql, this.name));
    const pass = new Promise<boolean>((resolve) => this.passWaiters.push(resolve));
    this.signal.wake();
    return pass;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let outcome: 'led' | 'followed' | 'failed';
      try {
        outcome = (await this.options.sql.session((session) => this.lead(session))) ? 'led' : 'followed';
      } catch (error) {
        outcome = 'failed';
        this.failed(error);
      }
      if (!this.running) break;
      if (outcome === 'followed') this.failures = 0;
      // A broken session is replaced after a back-off; a follower tries to lead again later.
      if (outcome !== 'led') await this.signal.sleep(outcome === 'failed' ? this.backoff() : this.pollIntervalMs);
    }
  }

  /** Leads on `session` until stopped or the session fails; false when another publisher leads. */
  private lead(session: SqlSession): Promise<boolean> {
    return withLeadership(session, this.name, {
      onWake: () => this.signal.wake(),
      lead: async () => {
        try {
          // The previous leader may have got further; or this publisher, whose last session was
          // lost before it could save. Everything up to either checkpoint is on the bus.
          const stored = await readCheckpoint(session, this.name);
          this.saved = stored;
          this.savedAt = Date.now();
          if (isAfter(stored, this.checkpoint)) this.checkpoint = stored;
          this.isLeading = true;
          await this.publishWhileLeading(session);
        } finally {
          this.isLeading = false;
          this.settleWaiters(true);
        }
      },
      beforeResign: () => this.save(session),
    });
  }

  private async publishWhileLeading(session: SqlSession): Promise<void> {
    const store = new SqlEventStore(session);
    while (this.running) {
      this.signal.requested = false;
      const waiters = this.passWaiters.splice(0);
      let outcome: PassOutcome = { more: true };
      try {
        outcome = await this.pass(session, store);
      } finally {
        for (const resolve of waiters) resolve(outcome.more);
      }
      // Checked right before sleeping, with nothing awaited in between: no wake-up is missed.
      if (outcome.pauseMs !== undefined && !this.signal.requested && this.running) await this.signal.sleep(outcome.pauseMs);
    }
  }

  /** One pass: publishes up to a batch; when it finds nothing more to do, saves the checkpoint. */
  private async pass(session: SqlSession, store: SqlEventStore): Promise<PassOutcome> {
    const page = await store.readAllEncoded(this.checkpoint, { limit: this.batchSize });
    if (page.last) {
      try {
        await inSpan('publisher.publish', { kind: SpanKind.PRODUCER, attributes: { 'tributary.events': page.count } }, async (span) => {
          // Linked to the requests that appended the events: only parsed when the span records.
          if (span.isRecording()) span.addLinks(appendTraces(page.runs));
          await this.options.bus.publish(page.runs);
        });
      } catch (error) {
        // The bus failed, not the session: keep leading and retry from the same checkpoint.
        this.failed(error);
        return { more: true, pauseMs: this.backoff() };
      }
      this.failures = 0;
      this.checkpoint = page.last;
      this.published += page.count;
      if (Date.now() - this.savedAt >= this.checkpointIntervalMs) await this.save(session);
      if (page.count === this.batchSize || this.signal.requested || !this.running) return { more: true };
    }
    // Committed events the pass could not publish wait behind an older running transaction
    // (readAll is commit-safe). It may belong to another process, whose commit wakes nobody
    // here: look again soon rather than after a whole poll interval.
    const heldBack = await eventsAfter(session, this.checkpoint);
    this.waiting = heldBack ? this.waiting + 1 : 0;
    if (this.signal.requested || !this.running) return { more: true };
    // Going idle: time to save, unless a wake-up came meanwhile (then publish first).
    await this.save(session);
    if (this.signal.requested || !this.running) return { more: true };
    this.failures = 0;
    if (heldBack) return { more: true, pauseMs: Math.min(2 ** Math.min(this.waiting, 6), WAITING_MAX_DELAY_MS, this.pollIntervalMs) };
    return { more: false, pauseMs: this.pollIntervalMs };
  }

  /** Writes the checkpoint to the table if it moved since the last write. */
  private async save(session: SqlSession): Promise<void> {
    if (!isAfter(this.checkpoint, this.saved)) return;
    const cursor = this.checkpoint;
    await writeCheckpoint(session, this.name, cursor);
    this.saved = cursor;
    this.savedAt = Date.now();
  }

  private failed(error: unknown): void {
    this.failures += 1;
    if (this.failures === 1 || this.failures % 50 === 0) {
      this.options.logger?.warn({ err: error, failures: this.failures }, 'publisher could not publish; retrying');
    }
  }

  private backoff(): number {
    return Math.min(25 * 2 ** Math.min(this.failures, 6), 1000);
  }

  /** Answers every publishBatch() still waiting (when no pass of this leadership will). */
  private settleWaiters(more: boolean): void {
    for (const resolve of this.passWaiters.splice(0)) resolve(more);
  }
}
