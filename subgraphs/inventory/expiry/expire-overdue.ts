import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CommandOutcome, StreamCommand } from '../../shared/commands/handle-command.js';
import type { Platform } from '../../shared/platform.js';
import { STOCK_EVENTS, stockDecider, stockSnapshots, stockStreamId, type StockCommand, type StockEvent, type StockState } from '../domain/index.js';
import { stockProjection, stockRowsOfAppended, type ReservationRow } from '../projections/index.js';

/** Who expired a reservation, in its event's metadata. */
export const EXPIRER_ACTOR = 'system:reservation-expirer';

/** An overdue reservation, with the database's time when it was found. */
type Overdue = Pick<ReservationRow, 'id' | 'productId' | 'storeId'> & { readonly now: Date };

/** What one pass of {@link expireOverdue} did. */
export interface ExpiryPass {
  /** Reservations overdue when it looked (at most the limit). */
  readonly found: number;
  /** Of those, the ones it released (the others were settled meanwhile). */
  readonly expired: number;
  /** Commands that failed (logged by the caller). */
  readonly failures: readonly unknown[];
}

/** The stock command that releases one overdue reservation, as the inventory commands run it. */
function expireCommand(row: Overdue, now: string, metadata: { actor: string; correlationId: string }): StreamCommand<StockCommand, StockEvent, StockState> {
  return {
    streamId: stockStreamId(row.productId, row.storeId),
    events: STOCK_EVENTS,
    decider: stockDecider,
    snapshots: stockSnapshots,
    command: { type: 'ExpireReservation', productId: row.productId, storeId: row.storeId, reservationId: row.id, now },
    metadata,
    project: async (tx, stream) => {
      const rows = stockRowsOfAppended(stream.state, stream.appended);
      if (rows.length > 0) await stockProjection.write(tx, rows);
    },
  };
}

/**
 * Releases up to `limit` PENDING reservations whose time ran out, oldest first, through the stock
 * decider and the event store: one ExpireReservation command each (a no-op for a reservation
 * settled meanwhile), all sent at once, so that the commands of one stock level are decided
 * together in one transaction (see handleCommand) and share one append. The database's clock
 * decides what is overdue and is the commands' `now`, so a found reservation is expired.
 */
export async function expireOverdue(platform: Platform, limit: number): Promise<ExpiryPass> {
  const overdue: Overdue[] = await platform.db.kysely
    .selectFrom('reservations')
    .select(['id', 'productId', 'storeId', sql<Date>`now()`.as('now')])
    .where('status', '=', 'PENDING')
    .where('expiresAt', '<=', sql<Date>`now()`)
    .orderBy('expiresAt')
    .limit(limit)
    .execute();
  if (overdue.length === 0) return { found: 0, expired: 0, failures: [] };
  const now = new Date(overdue[0]!.now).toISOString();
  const metadata = { actor: EXPIRER_ACTOR, correlationId: `reservation-expiry-${randomUUID()}` };
  const outcomes = await Promise.allSettled(overdue.map((row) => platform.execute(expireCommand(row, now, metadata))));
  const released = (outcome: PromiseSettledResult<CommandOutcome>) => outcome.status === 'fulfilled' && outcome.value.events.length > 0;
  return {
    found: overdue.length,
    expired: outcomes.filter(released).length,
    failures: outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : [])),
  };
}
