import { DEFAULT_LOW_STOCK_THRESHOLD } from '../rules/limits.js';

/** Lifecycle of a reservation. Only PENDING reservations count towards `reserved`. */
export type ReservationStatus = 'PENDING' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';

/** One reservation as the stock level remembers it. */
export interface Reservation {
  readonly quantity: number;
  readonly customerId: string;
  /** ISO-8601 instant after which the reservation can no longer be confirmed. */
  readonly expiresAt: string;
  readonly status: ReservationStatus;
}

/**
 * One stock level (product × store) and its reservations. A plain, immutable object: `evolve`
 * returns a new one for every event. Invariant: 0 ≤ reserved ≤ total, and `reserved` equals the
 * sum of the PENDING reservations' quantities.
 */
export interface StockState {
  /** Empty until the stream's first event. */
  readonly productId: string;
  /** Empty until the stream's first event. */
  readonly storeId: string;
  readonly total: number;
  readonly reserved: number;
  readonly lowStockThreshold: number;
  readonly reservations: Readonly<Record<string, Reservation>>;
}

/** The state of an empty stock stream: nothing in stock, default threshold. */
export const initialStockState = (): StockState => ({
  productId: '',
  storeId: '',
  total: 0,
  reserved: 0,
  lowStockThreshold: DEFAULT_LOW_STOCK_THRESHOLD,
  reservations: {},
});
