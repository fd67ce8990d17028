import type { ProductCommand } from './product/commands.js';
import type { StockCommand } from './stock/commands.js';
import type { StoreCommand } from './store/commands.js';

/** Every command the inventory subgraph decides. */
export type InventoryCommand = ProductCommand | StoreCommand | StockCommand;

/** The `type` tag of any inventory command. */
export type InventoryCommandType = InventoryCommand['type'];
