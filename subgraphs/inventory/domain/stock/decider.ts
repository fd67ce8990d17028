import type { Decider } from '../../../shared/decider/decider.js';
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
