import { unnestRows } from '../../shared/database/kysely/arrays.js';
import { columnsExcept, fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Row } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import {
  STOCK_CATEGORY,
  STOCK_EVENTS,
  initialStockState,
  stockDecider,
  type ReservationConfirmed,
  type ReservationReleased,
  type StockEvent,
  type StockReserved,
  type StockState,
} from '../domain/index.js';

/** A `stock_levels` row (`position`: global position of the last event applied). */
export type StockLevelRow = Row<'stockLevels'>;

/** A `reservations` row. */
export type ReservationRow = Row<'reservations'>;

/** What one stock stream projects to: its level and its reservations. */
export interface StockProjectionState {
  /**
   * The decider's state of the stream without its reservations (`state.reservations` stays empty):
   * total, reserved and threshold come from the decider's own `evolve`.
   */
  readonly state: StockState;
  readonly level: StockLevelRow | undefined;
  /**
   * Every reservation row of the stream by id. Owned by the fold: `evolve` updates this map in
   * place, so an accumulator passed to `evolve` must not be read for its reservations afterwards
   * (its `level` row is never changed).
   */
  readonly reservations: ReadonlyMap<string, ReservationRow>;
}

/** A new status of an existing `reservations` row; its other columns stay as they are. */
export type ReservationStatusRow = Pick<ReservationRow, 'id' | 'status' | 'updatedAt'>;

export type StockRow =
  | { readonly kind: 'level'; readonly row: StockLevelRow }
  | { readonly kind: 'reservation'; readonly row: ReservationRow }
  | { readonly kind: 'reservationStatus'; readonly row: ReservationStatusRow };

const NO_RESERVATIONS: StockState['reservations'] = Object.freeze({});
/** Shared by every empty accumulator (never written): the first reservation gives the stream its own map. */
const EMPTY_RESERVATIONS: ReadonlyMap<string, ReservationRow> = new Map();

/**
 * Applies one recorded stock event to the projection state (shared by inline projection, rebuild and
 * subscriptions). The stock level is the decider's `evolve` applied to a state without
 * reservations, which changes nothing in total, reserved or threshold (every event carries its
 * quantity) and keeps the fold linear: the decider's reservations are an object keyed by id, copied
 * on every reservation event. The reservation rows follow the decider's rules for reservations:
 * reserved → PENDING; confirmed → CONFIRMED; released → its reason (RELEASED or EXPIRED); an
 * event about an unknown reservation changes no row.
 */
export function evolveStockProjection(current: StockProjectionState, event: RecordedEvent<StockEvent>): StockProjectionState {
  const evolved = stockDecider.evolve(current.state, event);
  const state = evolved.reservations === NO_RESERVATIONS ? evolved : { ...evolved, reservations: NO_RESERVATIONS };
  const level = levelRowOf(state, event);
  let reservations = current.reservations;
  const data = event.data as { reservationId?: string };
  const reservationId = data.reservationId;
  if (reservationId !== undefined) {
    const known = reservations.get(reservationId);
    let row: ReservationRow | undefined;
    const status = settledStatus(event);
    if (event.type === 'StockReserved') row = reservedRow(event.data, event.occurredAt, known?.createdAt);
    else if (known && status !== undefined) row = { ...known, status, updatedAt: event.occurredAt };
    if (row) {
      const owned = reservations === EMPTY_RESERVATIONS ? new Map<string, ReservationRow>() : (reservations as Map<string, ReservationRow>);
      owned.set(reservationId, row);
      reservations = owned;
    }
  }
  return { state, level, reservations };
}

export const initialStockProjection = (): StockProjectionState => ({
  state: { ...initialStockState(), reservations: NO_RESERVATIONS },
  level: undefined,
  reservations: EMPTY_RESERVATIONS,
});

/**
 * The rows one command's events change, from the decider's state after them: the stock level, the
 * reservations they make, and the new status of those they confirm or release. The inline path
 * writes these instead of folding the whole stream (whose cost grows with every movement); they
 * are the rows a rebuild's fold ends with for this level and these reservations.
 */
export function stockRowsOfAppended(after: StockState, appended: ReadonlyArray<RecordedEvent<StockEvent>>): StockRow[] {
  const last = appended[appended.length - 1];
  if (!last) return [];
  const made = new Map<string, ReservationRow>();
  const changed = new Map<string, ReservationStatusRow>();
  for (const event of appended) {
    const status = settledStatus(event);
    if (event.type === 'StockReserved') {
      const row = reservedRow(event.data, event.occurredAt);
      made.set(row.id, row);
    } else if (status !== undefined) {
      const { reservationId } = event.data as ReservationConfirmed['data'] | ReservationReleased['data'];
      const row = made.get(reservationId);
      if (row) made.set(reservationId, { ...row, status, updatedAt: event.occurredAt });
      else changed.set(reservationId, { id: reservationId, status, updatedAt: event.occurredAt });
    }
  }
  return [
    { kind: 'level', row: levelRowOf(after, last) },
    ...Array.from(made.values(), (row) => ({ kind: 'reservation' as const, row })),
    ...Array.from(changed.values(), (row) => ({ kind: 'reservationStatus' as const, row })),
  ];
}

/**
 * The projection of a stream as of `event`, from the decider's state after it (a snapshot): the
 * level, without the stream's reservation rows (those of later events are added as they come).
 */
export function seedStockProjection(state: StockState, event: RecordedEvent): StockProjectionState {
  return { state: { ...state, reservations: NO_RESERVATIONS }, level: levelRowOf(state, event), reservations: EMPTY_RESERVATIONS };
}

/** The `reservations` row a StockReserved event makes (a re-reservation keeps the first `createdAt`). */
function reservedRow(data: StockReserved['data'], occurredAt: Date, createdAt = occurredAt): ReservationRow {
  return {
    id: data.reservationId,
    productId: data.productId,
    storeId: data.storeId,
    quantity: data.quantity,
    customerId: data.customerId,
    status: 'PENDING',
    expiresAt: new Date(data.expiresAt),
    createdAt,
    updatedAt: occurredAt,
  };
}

/** The status a confirmation or release leaves its reservation in; undefined for other events. */
function settledStatus(event: RecordedEvent<StockEvent>): string | undefined {
  if (event.type === 'ReservationConfirmed') return 'CONFIRMED';
  if (event.type === 'ReservationReleased') return event.data.reason;
  return undefined;
}

/** The `stock_levels` row of the decider's `state` right after `event`. */
function levelRowOf(state: StockState, event: RecordedEvent): StockLevelRow {
  return {
    productId: state.productId,
    storeId: state.storeId,
    total: state.total,
    reserved: state.reserved,
    lowStockThreshold: state.lowStockThreshold,
    version: event.version,
    position: event.position,
    updatedAt: event.occurredAt,
  };
}

/** Stock levels and reservations read models, from the `stock-<productId>:<storeId>` streams. */
export const stockProjection: StreamProjection<StockProjectionState, StockRow, StockEvent> = {
  name: 'stock',
  category: STOCK_CATEGORY,
  events: STOCK_EVENTS,
  tables: ['stock_levels', 'reservations'],
  initial: initialStockProjection,
  evolve: evolveStockProjection,
  toRows: (projected) => [
    ...(projected.level ? [{ kind: 'level' as const, row: projected.level }] : []),
    ...Array.from(projected.reservations.values(), (row) => ({ kind: 'reservation' as const, row })),
  ],
  async write(sql: SqlClient, rows) {
    const levels = rows.flatMap((row) => (row.kind === 'level' ? [row.row] : []));
    const reservations = rows.flatMap((row) => (row.kind === 'reservation' ? [row.row] : []));
    const statuses = rows.flatMap((row) => (row.kind === 'reservationStatus' ? [row.row] : []));
    const kysely = kyselyOver(sql);
    if (levels.length > 0) {
      await insertRows(kysely, 'stockLevels', levels)
        .onConflict((conflict) =>
          conflict.columns(['productId', 'storeId']).doUpdateSet(fromExcluded('stockLevels', columnsExcept('stockLevels', ['productId', 'storeId']))),
        )
        .execute();
    }
    if (reservations.length > 0) {
      await insertRows(kysely, 'reservations', reservations)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('reservations', ['quantity', 'status', 'expiresAt', 'updatedAt'])))
        .execute();
    }
    if (statuses.length > 0) {
      await kysely
        .updateTable('reservations')
        .from(unnestRows('reservations', ['id', 'status', 'updatedAt'], statuses, 'changed'))
        .set((eb) => ({ status: eb.ref('changed.status'), updatedAt: eb.ref('changed.updatedAt') }))
        .whereRef('reservations.id', '=', 'changed.id')
        .execute();
    }
  },
};
