/**
 * Commands of one stock level, decided against stream `stock-<productId>:<storeId>`. Every command
 * names the product and store it targets. Time (`now`) is an ISO-8601 string supplied by the caller.
 */
export interface StockTarget {
  readonly productId: string;
  readonly storeId: string;
}

/** Receive goods: total grows by `quantity`. */
export interface AddStock extends StockTarget {
  readonly type: 'AddStock';
  readonly quantity: number;
}

/** Take goods out (damage, shrinkage, correction): total drops by `quantity`, never below reserved. */
export interface RemoveStock extends StockTarget {
  readonly type: 'RemoveStock';
  readonly quantity: number;
  readonly reason: string;
}

/** Hold `quantity` for a customer until `now + ttlSeconds`. */
export interface ReserveStock extends StockTarget {
  readonly type: 'ReserveStock';
  readonly reservationId: string;
  readonly quantity: number;
  readonly customerId: string;
  readonly ttlSeconds: number;
  readonly now: string;
}

/** Turn a pending, unexpired reservation into a sale. */
export interface ConfirmReservation extends StockTarget {
  readonly type: 'ConfirmReservation';
  readonly reservationId: string;
  readonly now: string;
}

/** Give a pending reservation's quantity back to the available stock. */
export interface ReleaseReservation extends StockTarget {
  readonly type: 'ReleaseReservation';
  readonly reservationId: string;
}

/** Release a reservation whose time is up; a no-op unless it is pending and expired at `now`. */
export interface ExpireReservation extends StockTarget {
  readonly type: 'ExpireReservation';
  readonly reservationId: string;
  readonly now: string;
}

/** Change the level at or below which the stock counts as low. */
export interface SetLowStockThreshold extends StockTarget {
  readonly type: 'SetLowStockThreshold';
  readonly threshold: number;
}

/** Every command the stock decider accepts. */
export type StockCommand = AddStock | RemoveStock | ReserveStock | ConfirmReservation | ReleaseReservation | ExpireReservation | SetLowStockThreshold;
