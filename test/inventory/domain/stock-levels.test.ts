import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { available, isLow, stockDecider, type StockCommand, type StockState } from '../../../subgraphs/inventory/domain/index.js';
import { KEY, ev, expectRejection, stockAfter } from './helpers.js';

const decide = (command: StockCommand, state: StockState = stockDecider.initialState()) => stockDecider.decide(command, state);

const addStock = (quantity: number): StockCommand => ({ type: 'AddStock', ...KEY, quantity });
const removeStock = (quantity: number, reason = 'damaged'): StockCommand => ({
  type: 'RemoveStock',
  ...KEY,
  quantity,
  reason,
});
const setThreshold = (threshold: number): StockCommand => ({ type: 'SetLowStockThreshold', ...KEY, threshold });

describe('stock level: initial state', () => {
  it('starts empty with the default low-stock threshold of 10', () => {
    expect(stockDecider.initialState()).toEqual({
      productId: '',
      storeId: '',
      total: 0,
      reserved: 0,
      lowStockThreshold: 10,
      reservations: {},
    });
  });

  it('takes its product and store from the first event', () => {
    expect(stockAfter(ev.added(5))).toMatchObject({ productId: 'p1', storeId: 's1', total: 5 });
  });
});

describe('AddStock', () => {
  it('adds stock', () => {
    expect(decide(addStock(25))).toEqual([{ type: 'StockAdded', data: { ...KEY, quantity: 25 } }]);
    expect(stockAfter(ev.added(25), ev.added(5)).total).toBe(30);
  });

  it('rejects zero, negative, fractional, non-numeric and over-limit quantities', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1_000_000_001]) {
      expectRejection(() => decide(addStock(quantity)), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'quantity' },
      });
    }
    expectRejection(() => decide({ type: 'AddStock', ...KEY, quantity: '5' as unknown as number }), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'quantity' },
    });
  });

  it('accepts the largest quantity of 1_000_000_000', () => {
    expect(decide(addStock(1_000_000_000))).toHaveLength(1);
  });

  it('rejects an addition that would push the total past 1_000_000_000', () => {
    const state = stockAfter(ev.added(1_000_000_000));
    expectRejection(() => decide(addStock(1), state), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'quantity' },
    });
  });
});

describe('RemoveStock', () => {
  it('removes stock with a trimmed reason', () => {
    const state = stockAfter(ev.added(10));
    expect(decide(removeStock(4, '  water damage '), state)).toEqual([{ type: 'StockRemoved', data: { ...KEY, quantity: 4, reason: 'water damage' } }]);
    expect(stockAfter(ev.added(10), ev.removed(4)).total).toBe(6);
  });

  it('removes everything that is available', () => {
    const state = stockAfter(ev.added(10), ev.reserved('r1', 3));
    expect(decide(removeStock(7), state)).toHaveLength(1);
  });

  it('rejects removing more than is available, reporting available and requested', () => {
    const state = stockAfter(ev.added(10), ev.reserved('r1', 3));
    expectRejection(() => decide(removeStock(8), state), ErrorCode.INSUFFICIENT_STOCK, {
      extensions: { available: 7, requested: 8 },
    });
  });

  it('rejects removing from an empty stock level', () => {
    expectRejection(() => decide(removeStock(1)), ErrorCode.INSUFFICIENT_STOCK, {
      extensions: { available: 0, requested: 1 },
    });
  });

  it('rejects a blank or longer than 200 character reason', () => {
    const state = stockAfter(ev.added(10));
    for (const reason of ['', '   ', 'r'.repeat(201)]) {
      expectRejection(() => decide(removeStock(1, reason), state), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'reason' },
      });
    }
    expect(decide(removeStock(1, 'r'.repeat(200)), state)).toHaveLength(1);
  });

  it('rejects an invalid quantity before looking at availability', () => {
    expectRejection(() => decide(removeStock(-3)), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'quantity' },
    });
  });
});

describe('SetLowStockThreshold', () => {
  it('sets the low-stock threshold', () => {
    expect(decide(setThreshold(3))).toEqual([{ type: 'LowStockThresholdSet', data: { ...KEY, threshold: 3 } }]);
    expect(stockAfter(ev.threshold(3)).lowStockThreshold).toBe(3);
  });

  it('accepts thresholds from 0 to 1_000_000', () => {
    expect(decide(setThreshold(0))).toHaveLength(1);
    expect(decide(setThreshold(1_000_000))).toHaveLength(1);
  });

  it('rejects a negative, fractional or too large threshold', () => {
    for (const threshold of [-1, 2.5, 1_000_001]) {
      expectRejection(() => decide(setThreshold(threshold)), ErrorCode.BAD_USER_INPUT, {
        extensions: { field: 'threshold' },
      });
    }
  });
});

describe('stock queries', () => {
  it('computes available as total minus reserved', () => {
    expect(available(stockAfter(ev.added(20), ev.reserved('r1', 6)))).toBe(14);
  });

  it('is low when available is at or below the threshold', () => {
    expect(isLow(stockAfter(ev.added(10)))).toBe(true);
    expect(isLow(stockAfter(ev.added(11)))).toBe(false);
    expect(isLow(stockAfter(ev.added(11), ev.reserved('r1', 1)))).toBe(true);
    expect(isLow(stockAfter(ev.added(11), ev.threshold(0)))).toBe(false);
    expect(isLow(stockAfter(ev.threshold(0)))).toBe(true);
  });
});

describe('stock stream identity', () => {
  it('rejects a command for another product or store than the stream holds', () => {
    const state = stockAfter(ev.added(5));
    expectRejection(() => decide({ type: 'AddStock', productId: 'p2', storeId: 's1', quantity: 1 }, state), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'productId' },
      message: /stock-p2:s1.*stock-p1:s1/,
    });
    expectRejection(() => decide({ type: 'AddStock', productId: 'p1', storeId: 's2', quantity: 1 }, state), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'storeId' },
    });
  });

  it('rejects invalid product and store ids', () => {
    expectRejection(() => decide({ type: 'AddStock', productId: '', storeId: 's1', quantity: 1 }), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'productId' },
    });
    expectRejection(() => decide({ type: 'AddStock', productId: 'p1', storeId: 'a:b', quantity: 1 }), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'storeId' },
    });
  });

  it('never mutates the state it evolves', () => {
    const before = stockAfter(ev.added(10), ev.reserved('r1', 2));
    const snapshot = structuredClone(before);
    stockDecider.evolve(before, ev.confirmed('r1', 2));
    stockDecider.evolve(before, ev.added(3));
    expect(before).toEqual(snapshot);
  });
});
