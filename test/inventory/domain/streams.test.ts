import { describe, expect, it } from 'vitest';
import { INVENTORY_EVENT_TYPES, isInventoryEventType, productStreamId, stockStreamId, storeStreamId } from '../../../subgraphs/inventory/domain/index.js';

describe('inventory stream names', () => {
  it('names a product stream product-<id>', () => {
    expect(productStreamId('p-42')).toBe('product-p-42');
  });

  it('names a store stream store-<id>', () => {
    expect(storeStreamId('s-7')).toBe('store-s-7');
  });

  it('names a stock stream stock-<productId>:<storeId>', () => {
    expect(stockStreamId('p-42', 's-7')).toBe('stock-p-42:s-7');
  });
});

describe('inventory event types', () => {
  it('lists each of the eight event types once', () => {
    expect(new Set(INVENTORY_EVENT_TYPES).size).toBe(8);
    expect(INVENTORY_EVENT_TYPES).toContain('ReservationReleased');
  });

  it('recognises inventory event types and nothing else', () => {
    expect(isInventoryEventType('StockAdded')).toBe(true);
    expect(isInventoryEventType('CampaignCreated')).toBe(false);
    expect(isInventoryEventType('toString')).toBe(false);
  });
});
