import type { Logger } from 'pino';
import type { SqlClient, SqlSession } from '../database/sql.js';
import { leaseHolderPid, tryTakeLease } from '../lease/session-lease.js';

/** Followers NOTIFY the leader on this channel, with the publisher name as payload. */
export const WAKE_CHANNEL = 'tributary_publisher';

/** What a leader does with its session (see withLeadership). */
export interface LeaderWork {
  /** Called for each wake-up NOTIFYed to this publisher name, and when the session breaks. */
  readonly onWake: () => void;
  /** Leads until it resolves (stop) or throws (broken session). */
  readonly lead: () => Promise<void>;
  /** Runs after `lead` resolved, before the lock is given up (saves the checkpoint). */
  readonly beforeResign: () => Promise<void>;
}

/**
 * Leads publisher `name` on `session` if nobody else does: LISTENs for wake-ups, runs `work.lead`,
 * then stops listening and gives the lock up. False when another session leads. When `lead`
 * throws the session is likely broken (it is discarded, which drops the lock anyway): clean-up is
 * then best effort. When clean-up fails after a clean lead, that is thrown so that the session
 * is discarded rather than reused with the lock still held.
 */
export async function withLeadership(session: SqlSession, name: string, work: LeaderWork): Promise<boolean> {
  // Publishers hold the lease of their own name.
  const leadership = await tryTakeLease(session, name);
  if (!leadership) return false;
  let unlisten: (() => Promise<void>) | undefined;
  // Woken, the leader runs a query, which fails: it learns that it no longer leads at once,
  // rather than at its next pass.
  const forgetLost = session.onLost?.(work.onWake);
  let leadFailure: { readonly error: unknown } | undefined;
  try {
    unlisten = await session.listen?.(WAKE_CHANNEL, (payload) => {
      if (payload === name) work.onWake();
    });
    await work.lead();
  } catch (error) {
    leadFailure = { error };
  }
  forgetLost?.();
  const steps = [work.beforeResign, async () => unlisten?.(), () => leadership.release()];
  let cleanUpFailure: { readonly error: unknown } | undefined;
  for (const step of leadFailure ? steps.slice(1) : steps) {
    try {
      await step();
    } catch (error) {
      cleanUpFailure ??= { error };
    }
  }
  if (leadFailure) throw leadFailure.error;
  if (cleanUpFailure) throw cleanUpFailure.error;
  return true;
}

/** The backend pid of the session leading publisher `name`, if any (operations and tests). */
export const leaderPid = (sql: SqlClient, name: string): Promise<number | undefined> => leaseHolderPid(sql, name);

/**
 * Sends the leader of publisher `name` a wake-up, fire-and-forget: at most one NOTIFY in flight,
 * and one more queued when asked meanwhile (it covers every commit made before it is sent).
 */
export class LeaderNotifier {
  private inFlight = false;
  private again = false;
  private failures = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly name: string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Asks for a NOTIFY; returns at once. */
  notify(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.send();
  }

  private async send(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.sql.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, this.name]);
          this.failures = 0;
        } catch (error) {
          // The leader still polls: a lost wake-up only costs latency.
          this.failures += 1;
          if (this.failures === 1 || this.failures % 50 === 0) {
            this.logger?.warn({ err: error, failures: this.failures }, 'publisher could not wake the leader');
          }
        }
      } while (this.again);
    } finally {
      this.inFlight = false;
    }
  }
}
