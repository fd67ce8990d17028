import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { stockDecider, type StockEvent, type StockState } from '../../../subgraphs/inventory/domain/index.js';

/** Runs `fn`, expecting it to throw a DomainError; returns that error. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** Expects `fn` to throw a DomainError with `code` (and, if given, these extensions and message). */
export function expectRejection(
  fn: () => unknown,
  code: ErrorCode,
  expected: { extensions?: Record<string, unknown>; message?: RegExp | string } = {},
): DomainError {
  const error = domainErrorOf(fn);
  expect(error.code).toBe(code);
  if (expected.extensions) expect(error.extensions).toEqual(expected.extensions);
  if (expected.message) expect(error.message).toMatch(expected.message);
  return error;
}

export const P = 'p1';
export const S = 's1';
export const KEY = { productId: P, storeId: S } as const;
export const T0 = '2024-03-01T12:00:00.000Z';

/** `T0` plus some seconds, as ISO. */
export const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/** Event builders for stream stock-p1:s1. */
export const ev = {
  added: (quantity: number): StockEvent => ({ type: 'StockAdded', data: { ...KEY, quantity } }),
  removed: (quantity: number, reason = 'damaged'): StockEvent => ({
    type: 'StockRemoved',
    data: { ...KEY, quantity, reason },
  }),
  reserved: (reservationId: string, quantity: number, expiresAt = at(600), customerId = 'c1'): StockEvent => ({
    type: 'StockReserved',
    data: { ...KEY, reservationId, quantity, customerId, expiresAt },
  }),
  confirmed: (reservationId: string, quantity: number): StockEvent => ({
    type: 'ReservationConfirmed',
    data: { ...KEY, reservationId, quantity },
  }),
  released: (reservationId: string, quantity: number, reason: 'RELEASED' | 'EXPIRED' = 'RELEASED'): StockEvent => ({
    type: 'ReservationReleased',
    data: { ...KEY, reservationId, quantity, reason },
  }),
  threshold: (threshold: number): StockEvent => ({ type: 'LowStockThresholdSet', data: { ...KEY, threshold } }),
};

/** The stock state after these events. */
export const stockAfter = (...events: StockEvent[]): StockState => foldEvents(stockDecider, events);
