import type { ProductEvent } from './product/events.js';
import type { StockEvent } from './stock/events.js';
import type { StoreEvent } from './store/events.js';

/** Every event the inventory subgraph records, across product, store and stock streams. */
export type InventoryEvent = ProductEvent | StoreEvent | StockEvent;

/** The `type` tag of any inventory event. */
export type InventoryEventType = InventoryEvent['type'];

// A record keyed by the union: the compiler rejects a missing or unknown type.
const eventTypes = {
  ProductRegistered: true,
  StoreRegistered: true,
  StockAdded: true,
  StockRemoved: true,
  StockReserved: true,
  ReservationConfirmed: true,
  ReservationReleased: true,
  LowStockThresholdSet: true,
} as const satisfies Record<InventoryEventType, true>;

/** Every inventory event type, for registries and subscription filters. */
export const INVENTORY_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as InventoryEventType[]);

/** Whether a stored event's type belongs to the inventory domain. */
export const isInventoryEventType = (type: string): type is InventoryEventType =>
  Object.hasOwn(eventTypes, type);
