import type { StockEvent } from './events.js';
import type { Reservation, ReservationStatus, StockState } from './state.js';

/**
 * Folds one stock event into a new state (the old one is never mutated). Events are facts, so this
 * never throws; `decideStock` is what keeps 0 ≤ reserved ≤ total.
 */
export function evolveStock(state: StockState, event: StockEvent): StockState {
  const { productId, storeId } = event.data;
  const base: StockState = { ...state, productId, storeId };

  switch (event.type) {
    case 'StockAdded':
      return { ...base, total: state.total + event.data.quantity };

    case 'StockRemoved':
      return { ...base, total: state.total - event.data.quantity };

    case 'StockReserved': {
      const { reservationId, quantity, customerId, expiresAt } = event.data;
      return {
        ...base,
        reserved: state.reserved + quantity,
        reservations: {
          ...state.reservations,
          [reservationId]: { quantity, customerId, expiresAt, status: 'PENDING' },
        },
      };
    }

    case 'ReservationConfirmed': {
      const { reservationId, quantity } = event.data;
      return {
        ...base,
        total: state.total - quantity,
        reserved: state.reserved - quantity,
        reservations: withStatus(state.reservations, reservationId, 'CONFIRMED'),
      };
    }

    case 'ReservationReleased': {
      const { reservationId, quantity, reason } = event.data;
      return {
        ...base,
        reserved: state.reserved - quantity,
        reservations: withStatus(state.reservations, reservationId, reason),
      };
    }

    case 'LowStockThresholdSet':
      return { ...base, lowStockThreshold: event.data.threshold };

    default:
      return state;
  }
}

function withStatus(
  reservations: Readonly<Record<string, Reservation>>,
  reservationId: string,
  status: ReservationStatus,
): Readonly<Record<string, Reservation>> {
  const reservation = reservations[reservationId];
  return reservation ? { ...reservations, [reservationId]: { ...reservation, status } } : reservations;
}
