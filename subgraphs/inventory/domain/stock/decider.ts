import type { Decider } from '../../../shared/decider/decider.js';
import type { SnapshotPolicy } from '../../../shared/snapshots/contract.js';
import type { StockCommand } from './commands.js';
import { decideStock } from './decide.js';
import type { StockEvent } from './events.js';
import { evolveStock } from './evolve.js';
import { initialStockState, type StockState } from './state.js';

/** The decider of stream `stock-<productId>:<storeId>`: one stock level and its reservations. */
export const stockDecider: Decider<StockCommand, StockEvent, StockState> = {
  decide: decideStock,
  evolve: evolveStock,
  initialState: initialStockState,
};

/**
 * Stock streams grow with every movement for as long as the product is sold in the store, so
 * their commands start from a snapshot of this decider's state. Bump the revision whenever
 * `StockState` or `evolveStock` changes.
 */
export const stockSnapshots: SnapshotPolicy = { revision: 'stock-1', every: 100 };
