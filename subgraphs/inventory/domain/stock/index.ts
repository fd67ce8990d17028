export type {
  StockTarget,
  AddStock,
  RemoveStock,
  ReserveStock,
  ConfirmReservation,
  ReleaseReservation,
  ExpireReservation,
  SetLowStockThreshold,
  StockCommand,
} from './commands.js';
export type {
  StockKey,
  StockAdded,
  StockRemoved,
  StockReserved,
  ReservationConfirmed,
  ReleaseReason,
  ReservationReleased,
  LowStockThresholdSet,
  StockEvent,
} from './events.js';
export { initialStockState, type Reservation, type ReservationStatus, type StockState } from './state.js';
export { available, isLow, pendingReservations, expiredReservations, type IdentifiedReservation } from './queries.js';
export { decideStock } from './decide.js';
export { evolveStock } from './evolve.js';
export { stockDecider, stockSnapshots } from './decider.js';
