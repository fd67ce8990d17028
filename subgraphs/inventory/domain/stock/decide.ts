import { validateId } from '../../../shared/domain/id.js';
import { DomainError, ErrorCode, badInput, notFound } from '../../../shared/errors/codes.js';
import { MAX_LOW_STOCK_THRESHOLD, MAX_QUANTITY, MAX_REASON_LENGTH, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../rules/limits.js';
import { validateInstant, validateIntegerInRange, validateQuantity, validateRequiredText } from '../rules/validate.js';
import { stockStreamId } from '../streams/stream-ids.js';
import type { StockCommand } from './commands.js';
import type { StockEvent, StockKey } from './events.js';
import { available } from './queries.js';
import type { Reservation, StockState } from './state.js';

/**
 * Decides one stock command against the current stock level. Throws a DomainError when the command
 * is invalid or would break the invariant 0 ≤ reserved ≤ total; otherwise returns the events
 * (possibly none, for `ExpireReservation`).
 *
 * Checks that need other streams (the product and store exist, reservation ids are unique across
 * stock levels) belong to the application layer.
 */
export function decideStock(command: StockCommand, state: StockState): StockEvent[] {
  const key = targetOf(command, state);

  switch (command.type) {
    case 'AddStock': {
      const quantity = validateQuantity(command.quantity);
      if (state.total + quantity > MAX_QUANTITY) {
        throw badInput(`stock level total would exceed ${MAX_QUANTITY}`, 'quantity');
      }
      return [{ type: 'StockAdded', data: { ...key, quantity } }];
    }

    case 'RemoveStock': {
      const quantity = validateQuantity(command.quantity);
      const reason = validateRequiredText(command.reason, 'reason', MAX_REASON_LENGTH);
      ensureAvailable(state, quantity);
      return [{ type: 'StockRemoved', data: { ...key, quantity, reason } }];
    }

    case 'ReserveStock': {
      const reservationId = validateId(command.reservationId, 'reservationId');
      const quantity = validateQuantity(command.quantity);
      const customerId = validateId(command.customerId, 'customerId');
      const ttlSeconds = validateIntegerInRange(command.ttlSeconds, 'ttlSeconds', MIN_TTL_SECONDS, MAX_TTL_SECONDS);
      const expiresAt = addSeconds(validateInstant(command.now), ttlSeconds);
      if (state.reservations[reservationId]) {
        throw badInput(`reservation ${reservationId} already exists`, 'reservationId');
      }
      ensureAvailable(state, quantity);
      return [{ type: 'StockReserved', data: { ...key, reservationId, quantity, customerId, expiresAt } }];
    }

    case 'ConfirmReservation': {
      const reservationId = validateId(command.reservationId, 'reservationId');
      const nowMs = validateInstant(command.now);
      const reservation = pendingReservation(state, reservationId, 'confirmed');
      if (Date.parse(reservation.expiresAt) <= nowMs) {
        throw badInput(`reservation ${reservationId} has expired`, 'reservationId');
      }
      return [{ type: 'ReservationConfirmed', data: { ...key, reservationId, quantity: reservation.quantity } }];
    }

    case 'ReleaseReservation': {
      const reservationId = validateId(command.reservationId, 'reservationId');
      const reservation = pendingReservation(state, reservationId, 'released');
      return [
        {
          type: 'ReservationReleased',
          data: { ...key, reservationId, quantity: reservation.quantity, reason: 'RELEASED' },
        },
      ];
    }

    case 'ExpireReservation': {
      const reservationId = validateId(command.reservationId, 'reservationId');
      const nowMs = validateInstant(command.now);
      const reservation = state.reservations[reservationId];
      if (!reservation || reservation.status !== 'PENDING' || Date.parse(reservation.expiresAt) > nowMs) {
        return [];
      }
      return [
        {
          type: 'ReservationReleased',
          data: { ...key, reservationId, quantity: reservation.quantity, reason: 'EXPIRED' },
        },
      ];
    }

    case 'SetLowStockThreshold': {
      const threshold = validateIntegerInRange(command.threshold, 'threshold', 0, MAX_LOW_STOCK_THRESHOLD);
      return [{ type: 'LowStockThresholdSet', data: { ...key, threshold } }];
    }
  }
}

/** Validates the command's product and store ids and that they match the stream's. */
function targetOf(command: StockCommand, state: StockState): StockKey {
  const productId = validateId(command.productId, 'productId');
  const storeId = validateId(command.storeId, 'storeId');
  if (state.productId !== '' && (state.productId !== productId || state.storeId !== storeId)) {
    throw badInput(
      `a command for ${stockStreamId(productId, storeId)} cannot be decided against ${stockStreamId(state.productId, state.storeId)}`,
      state.productId !== productId ? 'productId' : 'storeId',
    );
  }
  return { productId, storeId };
}

/** Throws INSUFFICIENT_STOCK (extensions `{ available, requested }`) when quantity > available. */
function ensureAvailable(state: StockState, requested: number): void {
  const free = available(state);
  if (requested > free) {
    throw new DomainError(ErrorCode.INSUFFICIENT_STOCK, `only ${free} available, ${requested} requested`, { available: free, requested });
  }
}

/** The reservation, if it exists and is PENDING; NOT_FOUND or BAD_USER_INPUT otherwise. */
function pendingReservation(state: StockState, reservationId: string, verb: string): Reservation {
  const reservation = state.reservations[reservationId];
  if (!reservation) throw notFound('reservation', reservationId);
  if (reservation.status !== 'PENDING') {
    throw badInput(`reservation ${reservationId} is ${reservation.status}; only a PENDING reservation can be ${verb}`, 'reservationId');
  }
  return reservation;
}

/** `ms + seconds` as an ISO-8601 string; BAD_USER_INPUT if that leaves the representable range. */
function addSeconds(ms: number, seconds: number): string {
  const instant = new Date(ms + seconds * 1000);
  if (Number.isNaN(instant.getTime())) throw badInput('now is out of range', 'now');
  return instant.toISOString();
}
