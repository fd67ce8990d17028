import type { Logger } from 'pino';
import { LeasedWorker } from '../../shared/lease/leased-worker.js';
import type { Platform } from '../../shared/platform.js';
import { expireOverdue } from './expire-overdue.js';

/** One lease per database: of the inventory replicas, one expires reservations. */
export const EXPIRER_LEASE = 'inventory:reservation-expirer';

export interface ReservationExpirerOptions {
  readonly platform: Platform;
  readonly logger: Logger;
  /** How often to look for overdue reservations. */
  readonly intervalMs?: number;
  /** Most reservations one pass expires. */
  readonly batchSize?: number;
}

/**
 * Releases PENDING reservations whose time ran out, in batches (see expireOverdue). Of the
 * replicas on one database, only the one holding the expirer's lease sweeps, so they do not all
 * work through the same reservations; if it stops or dies, another takes over within an interval.
 * (Should two ever sweep at once, each reservation is still expired once: its commands take turns
 * on the stock level, and the decider releases only a reservation still pending.)
 */
export class ReservationExpirer {
  private readonly worker: LeasedWorker;
  private expiredTotal = 0;

  constructor(private readonly options: ReservationExpirerOptions) {
    const batchSize = options.batchSize ?? 500;
    this.worker = new LeasedWorker({
      sql: options.platform.db.sql,
      name: EXPIRER_LEASE,
      intervalMs: options.intervalMs ?? 1000,
      logger: options.logger,
      pass: async () => {
        const pass = await expireOverdue(options.platform, batchSize);
        this.expiredTotal += pass.expired;
        for (const error of pass.failures.slice(0, 3)) this.options.logger.warn({ err: error }, 'could not expire a reservation');
        // A full batch: more may be overdue; the failures wait for the next interval.
        return pass.found === batchSize && pass.failures.length === 0;
      },
    });
  }

  /** Reservations this expirer released since it started (metrics, tests). */
  get expired(): number {
    return this.expiredTotal;
  }

  /** True while this replica holds the expirer's lease. */
  get leading(): boolean {
    return this.worker.leading;
  }

  start(): void {
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}
