import type { Reservation, StockState } from './state.js';

/** A reservation together with its id. */
export type IdentifiedReservation = Reservation & { readonly reservationId: string };

/** What can still be reserved, removed or sold: total − reserved. */
export const available = (state: StockState): number => state.total - state.reserved;

/** Whether the available quantity is at or below the low-stock threshold. */
export const isLow = (state: StockState): boolean => available(state) <= state.lowStockThreshold;

/** The PENDING reservations, soonest expiry first (ties by id). */
export function pendingReservations(state: StockState): IdentifiedReservation[] {
  return Object.entries(state.reservations)
    .filter(([, reservation]) => reservation.status === 'PENDING')
    .map(([reservationId, reservation]) => ({ reservationId, ...reservation }))
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || (a.reservationId < b.reservationId ? -1 : a.reservationId > b.reservationId ? 1 : 0));
}

/** The PENDING reservations whose `expiresAt` is at or before `now` (what the expirer releases). */
export function expiredReservations(state: StockState, now: string): IdentifiedReservation[] {
  const nowMs = Date.parse(now);
  return pendingReservations(state).filter((r) => Date.parse(r.expiresAt) <= nowMs);
}
