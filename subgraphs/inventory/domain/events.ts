import { defineEvents, type EventSchema } from '../../shared/event-store/event-schema.js';
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
export const isInventoryEventType = (type: string): type is InventoryEventType => Object.hasOwn(eventTypes, type);

/** Every inventory event as stored (no event type has changed shape yet, so none is upcast). */
export const INVENTORY_EVENTS: EventSchema<InventoryEvent> = defineEvents<InventoryEvent>(eventTypes);

/** The events of a `product-<id>` stream. */
export const PRODUCT_EVENTS: EventSchema<ProductEvent> = INVENTORY_EVENTS.only('ProductRegistered');

/** The events of a `store-<id>` stream. */
export const STORE_EVENTS: EventSchema<StoreEvent> = INVENTORY_EVENTS.only('StoreRegistered');

/** The events of a `stock-<productId>:<storeId>` stream. */
export const STOCK_EVENTS: EventSchema<StockEvent> = defineEvents<StockEvent>({
  StockAdded: true,
  StockRemoved: true,
  StockReserved: true,
  ReservationConfirmed: true,
  ReservationReleased: true,
  LowStockThresholdSet: true,
});
