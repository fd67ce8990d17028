import type { DomainEvent } from '../../../shared/decider/decider.js';

/** Fields every stock event carries: the stock level it belongs to. */
export interface StockKey {
  readonly productId: string;
  readonly storeId: string;
}

/** Goods arrived: total += quantity. */
export type StockAdded = DomainEvent<'StockAdded', StockKey & { readonly quantity: number }>;

/** Goods left without a sale: total -= quantity. `reason` is trimmed. */
export type StockRemoved = DomainEvent<'StockRemoved', StockKey & { readonly quantity: number; readonly reason: string }>;

/** Quantity held for a customer: reserved += quantity, until `expiresAt` (ISO-8601). */
export type StockReserved = DomainEvent<
  'StockReserved',
  StockKey & {
    readonly reservationId: string;
    readonly quantity: number;
    readonly customerId: string;
    readonly expiresAt: string;
  }
>;

/** A reservation became a sale: total -= quantity and reserved -= quantity. */
export type ReservationConfirmed = DomainEvent<'ReservationConfirmed', StockKey & { readonly reservationId: string; readonly quantity: number }>;

/** Why a reservation was released: by request, or by the expirer. */
export type ReleaseReason = 'RELEASED' | 'EXPIRED';

/** A reservation was given back: reserved -= quantity. */
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  StockKey & {
    readonly reservationId: string;
    readonly quantity: number;
    readonly reason: ReleaseReason;
  }
>;

/** The low-stock threshold changed. */
export type LowStockThresholdSet = DomainEvent<'LowStockThresholdSet', StockKey & { readonly threshold: number }>;

/** Every event of a stock stream. */
export type StockEvent = StockAdded | StockRemoved | StockReserved | ReservationConfirmed | ReservationReleased | LowStockThresholdSet;
