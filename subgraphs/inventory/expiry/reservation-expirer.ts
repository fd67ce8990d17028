import type { Logger } from 'pino';
import type { SqlClient } from '../../shared/database/sql.js';
import type { InventoryCommands } from '../commands/inventory-commands.js';

export interface ReservationExpirerOptions {
  readonly sql: SqlClient;
  readonly commands: InventoryCommands;
  readonly logger: Logger;
  /** How often to look for overdue reservations. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/**
 * Releases PENDING reservations whose time ran out, through the ExpireReservation command (which is
 * idempotent, so several replicas sweeping at once release each reservation once).
 */
export class ReservationExpirer {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(private readonly options: ReservationExpirerOptions) {}

  start(): void {
    const interval = this.options.intervalMs ?? 1000;
    this.timer = setInterval(() => {
      if (!this.sweeping) {
        this.sweeping = this.sweep().finally(() => {
          this.sweeping = undefined;
        });
      }
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => undefined);
  }

  /** One pass; returns how many reservations it expired. */
  async sweep(): Promise<number> {
    const overdue = await this.options.sql.query<{ id: string }>(
      `SELECT id FROM reservations WHERE status = 'PENDING' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [this.options.batchSize ?? 100],
    );
    let expired = 0;
    for (const { id } of overdue) {
      try {
        const outcome = await this.options.commands.expireReservation(id, { actor: 'system:reservation-expirer' });
        expired += outcome.events.length > 0 ? 1 : 0;
      } catch (error) {
        this.options.logger.warn({ err: error, reservationId: id }, 'could not expire reservation');
      }
    }
    return expired;
  }
}
