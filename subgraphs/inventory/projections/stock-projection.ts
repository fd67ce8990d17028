import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import {
  STOCK_CATEGORY,
  initialStockState,
  stockDecider,
  type ReservationConfirmed,
  type ReservationReleased,
  type StockEvent,
  type StockReserved,
  type StockState,
} from '../domain/index.js';

/** A `stock_levels` row. */
export interface StockLevelRow {
  readonly productId: string;
  readonly storeId: string;
  readonly total: number;
  readonly reserved: number;
  readonly lowStockThreshold: number;
  readonly version: number;
  /** Global position of the last event applied. */
  readonly position: string;
  readonly updatedAt: Date;
}

/** A `reservations` row. */
export interface ReservationRow {
  readonly id: string;
  readonly productId: string;
  readonly storeId: string;
  readonly quantity: number;
  readonly customerId: string;
  readonly status: string;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

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
export interface ReservationStatusRow {
  readonly id: string;
  readonly status: string;
  readonly updatedAt: Date;
}

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
export function evolveStockProjection(current: StockProjectionState, event: RecordedEvent): StockProjectionState {
  const evolved = stockDecider.evolve(current.state, event as unknown as StockEvent);
  const state = evolved.reservations === NO_RESERVATIONS ? evolved : { ...evolved, reservations: NO_RESERVATIONS };
  const level = levelRowOf(state, event);
  let reservations = current.reservations;
  const data = event.data as { reservationId?: string };
  const reservationId = data.reservationId;
  if (reservationId !== undefined) {
    const known = reservations.get(reservationId);
    let row: ReservationRow | undefined;
    const status = settledStatus(event);
    if (event.type === 'StockReserved') row = reservedRow(data as StockReserved['data'], event.occurredAt, known?.createdAt);
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
export function stockRowsOfAppended(after: StockState, appended: readonly RecordedEvent[]): StockRow[] {
  const last = appended[appended.length - 1];
  if (!last) return [];
  const made = new Map<string, ReservationRow>();
  const changed = new Map<string, ReservationStatusRow>();
  for (const event of appended) {
    const status = settledStatus(event);
    if (event.type === 'StockReserved') {
      const row = reservedRow(event.data as StockReserved['data'], event.occurredAt);
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
function settledStatus(event: RecordedEvent): string | undefined {
  if (event.type === 'ReservationConfirmed') return 'CONFIRMED';
  if (event.type === 'ReservationReleased') return (event.data as ReservationReleased['data']).reason;
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
export const stockProjection: StreamProjection<StockProjectionState, StockRow> = {
  name: 'stock',
  category: STOCK_CATEGORY,
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
    if (levels.length > 0) {
      await sql.query(
        `INSERT INTO stock_levels (product_id, store_id, total, reserved, low_stock_threshold, version, position, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::timestamptz[])
         ON CONFLICT (product_id, store_id) DO UPDATE SET total = EXCLUDED.total, reserved = EXCLUDED.reserved,
           low_stock_threshold = EXCLUDED.low_stock_threshold, version = EXCLUDED.version,
           position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
        [
          levels.map((row) => row.productId),
          levels.map((row) => row.storeId),
          levels.map((row) => row.total),
          levels.map((row) => row.reserved),
          levels.map((row) => row.lowStockThreshold),
          levels.map((row) => row.version),
          levels.map((row) => row.position),
          levels.map((row) => row.updatedAt.toISOString()),
        ],
      );
    }
    if (reservations.length > 0) {
      await sql.query(
        `INSERT INTO reservations (id, product_id, store_id, quantity, customer_id, status, expires_at, created_at, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
         ON CONFLICT (id) DO UPDATE SET quantity = EXCLUDED.quantity, status = EXCLUDED.status,
           expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
        [
          reservations.map((row) => row.id),
          reservations.map((row) => row.productId),
          reservations.map((row) => row.storeId),
          reservations.map((row) => row.quantity),
          reservations.map((row) => row.customerId),
          reservations.map((row) => row.status),
          reservations.map((row) => row.expiresAt.toISOString()),
          reservations.map((row) => row.createdAt.toISOString()),
          reservations.map((row) => row.updatedAt.toISOString()),
        ],
      );
    }
    if (statuses.length > 0) {
      await sql.query(
        `UPDATE reservations SET status = changed.status, updated_at = changed.updated_at
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS changed (id, status, updated_at)
         WHERE reservations.id = changed.id`,
        [statuses.map((row) => row.id), statuses.map((row) => row.status), statuses.map((row) => row.updatedAt.toISOString())],
      );
    }
  },
};
