/** The pure inventory domain: deciders, events, commands and stream names. No I/O. */
export * from './streams/index.js';
export * from './rules/index.js';
export * from './product/index.js';
export * from './store/index.js';
export * from './stock/index.js';
export type { InventoryEvent, InventoryEventType } from './events.js';
export { INVENTORY_EVENT_TYPES, isInventoryEventType, INVENTORY_EVENTS, PRODUCT_EVENTS, STORE_EVENTS, STOCK_EVENTS } from './events.js';
export type { InventoryCommand, InventoryCommandType } from './commands.js';
