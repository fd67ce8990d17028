import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import {
  ADD_STOCK,
  EVENT_FIELDS,
  LEVEL_FIELDS,
  REGISTER_PRODUCT,
  REGISTER_STORE,
  REMOVE_STOCK,
  RESERVATION_FIELDS,
  RESERVE_STOCK,
  SET_THRESHOLD,
  ok,
  productAndStore,
  sleep,
  uid,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;

beforeAll(async () => {
  harness = await startInventoryHarness();
});

afterAll(async () => {
  await harness?.close();
});

const PRODUCTS = `query($first: Int, $after: String, $search: String) {
  products(first: $first, after: $after, search: $search) {
    edges { cursor node { id sku name createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Follows a connection page by page; returns the pages. */
async function allPages(query: string, field: string, variables: Record<string, unknown>): Promise<Array<{ edges: any[]; pageInfo: any }>> {
  const pages: Array<{ edges: any[]; pageInfo: any }> = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard += 1) {
    const data: Record<string, any> = await ok(harness, query, { ...variables, after });
    const page: { edges: any[]; pageInfo: any } = data[field];
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('products', () => {
  it('pages through products newest first with opaque cursors, without gaps or repeats', async () => {
    const prefix = uid('PAGE').toUpperCase();
    const ids: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      const { registerProduct } = await ok(harness, REGISTER_PRODUCT, { input: { sku: `${prefix}-${index}`, name: `Paged ${index}` } });
      ids.push(registerProduct.product.id);
    }
    const pages = await allPages(PRODUCTS, 'products', { first: 3, search: prefix });
    expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 1]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    const nodes = pages.flatMap((page) => page.edges.map((edge: any) => edge.node));
    expect(nodes.map((node) => node.id)).toEqual([...ids].reverse());
    for (const page of pages) expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
    // Every cursor resumes right after its own edge.
    const second = pages[0]!.edges[1];
    const resumed = await ok(harness, PRODUCTS, { first: 2, after: second.cursor, search: prefix });
    expect(resumed.products.edges.map((edge: any) => edge.node.id)).toEqual([ids[4], ids[3]]);
  });

  it('searches by name (case-insensitive) or SKU prefix; an empty page has no end cursor', async () => {
    const sku = uid('FINDME').toUpperCase();
    await ok(harness, REGISTER_PRODUCT, { input: { sku, name: 'Ceramic Teapot' } });
    const byName = await ok(harness, PRODUCTS, { search: 'ceramic teap' });
    expect(byName.products.edges.map((edge: any) => edge.node.sku)).toContain(sku);
    const bySku = await ok(harness, PRODUCTS, { search: sku.slice(0, 12) });
    expect(bySku.products.edges.map((edge: any) => edge.node.sku)).toEqual([sku]);
    const none = await ok(harness, PRODUCTS, { search: 'no such product anywhere' });
    expect(none.products).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const zero = await ok(harness, PRODUCTS, { first: 0 });
    expect(zero.products.edges).toEqual([]);
    expect(zero.products.pageInfo.hasNextPage).toBe(true);
  });

  it('a product lists its stock levels and the sum of their available units', async () => {
    const { productId, storeId } = await productAndStore(harness, 'sum');
    const other = uid('s_sum2');
    await ok(harness, REGISTER_STORE, { input: { id: other, name: 'Second store' } });
    await ok(harness, ADD_STOCK, { input: { productId, storeId, quantity: 7 } });
    await ok(harness, ADD_STOCK, { input: { productId, storeId: other, quantity: 5 } });
    await ok(harness, RESERVE_STOCK, { input: { productId, storeId: other, quantity: 2, customerId: 'c' } });
    const data = await ok(harness, `query($id: ID!) { product(id: $id) { totalAvailable stockLevels { storeId available store { name } product { id } } } }`, {
      id: productId,
    });
    expect(data.product.totalAvailable).toBe(10);
    expect(data.product.stockLevels).toHaveLength(2);
    expect(data.product.stockLevels).toEqual(
      expect.arrayContaining([
        { storeId, available: 7, store: { name: 'Store sum' }, product: { id: productId } },
        { storeId: other, available: 3, store: { name: 'Second store' }, product: { id: productId } },
      ]),
    );
    const store = await ok(harness, `query($id: ID!) { store(id: $id) { name stockLevels { productId total } } }`, { id: other });
    expect(store.store).toEqual({ name: 'Second store', stockLevels: [{ productId, total: 5 }] });
  });

  it('unknown ids resolve to null', async () => {
    const data = await ok(
      harness,
      `{ product(id: "none") { id } store(id: "none") { id } stockLevel(productId: "none", storeId: "none") { total } reservation(id: "none") { id } }`,
    );
    expect(data).toEqual({ product: null, store: null, stockLevel: null, reservation: null });
  });
});

describe('stores', () => {
  it('pages through stores by id', async () => {
    const data = await ok(harness, `{ stores(first: 500) { edges { node { id } } pageInfo { hasNextPage } } }`);
    const all = data.stores.edges.map((edge: any) => edge.node.id);
    expect(all).toEqual([...all].sort());
    const first = await ok(harness, `{ stores(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.stores.edges.map((edge: any) => edge.node.id)).toEqual(all.slice(0, 2));
    const next = await ok(harness, `query($after: String) { stores(first: 2, after: $after) { edges { node { id } } } }`, {
      after: first.stores.pageInfo.endCursor,
    });
    expect(next.stores.edges.map((edge: any) => edge.node.id)).toEqual(all.slice(2, 4));
  });
});

describe('lowStock', () => {
  it('lists the stock levels at or below their threshold, per store and page by page', async () => {
    const storeId = uid('s_low');
    await ok(harness, REGISTER_STORE, { input: { id: storeId, name: 'Low store' } });
    const products: string[] = [];
    for (const [index, quantity] of [3, 50, 10, 11, 0].entries()) {
      const productId = `${uid('p_low')}_${index}`;
      products.push(productId);
      await ok(harness, REGISTER_PRODUCT, { input: { id: productId, sku: productId.toUpperCase(), name: `Low ${index}` } });
      if (quantity > 0) await ok(harness, ADD_STOCK, { input: { productId, storeId, quantity } });
    }
    // 11 available with a threshold of 12 is low; 50 is not.
    await ok(harness, SET_THRESHOLD, { input: { productId: products[3], storeId, threshold: 12 } });
    const LOW = `query($storeId: ID, $first: Int, $after: String) {
      lowStock(storeId: $storeId, first: $first, after: $after) {
        edges { cursor node { productId storeId available lowStockThreshold isLow } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const pages = await allPages(LOW, 'lowStock', { storeId, first: 2 });
    const nodes = pages.flatMap((page) => page.edges.map((edge: any) => edge.node));
    expect(nodes.map((node) => node.productId)).toEqual([products[0], products[2], products[3]].sort());
    expect(nodes.every((node) => node.isLow && node.storeId === storeId)).toBe(true);
    expect(pages.map((page) => page.edges.length)).toEqual([2, 1]);
    // Without a store filter other stores' low levels appear too.
    const everywhere = await ok(harness, `{ lowStock(first: 500) { edges { node { storeId } } } }`);
    expect(new Set(everywhere.lowStock.edges.map((edge: any) => edge.node.storeId)).has(storeId)).toBe(true);
  });
});

describe('reservation', () => {
  it('resolves a reservation with its product and store', async () => {
    const key = await productAndStore(harness, 'resv');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 4 } });
    const reservationId = uid('r');
    const { reserveStock } = await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 2, customerId: 'cust_9', reservationId } });
    const data = await ok(harness, `query($id: ID!) { reservation(id: $id) { ${RESERVATION_FIELDS} product { id } store { id } } }`, {
      id: reservationId,
    });
    expect(data.reservation).toEqual({ ...reserveStock.reservation, product: { id: key.productId }, store: { id: key.storeId } });
  });
});

describe('time travel', () => {
  it('stockLevelAt folds the stream up to the instant: between two changes it shows the first', async () => {
    const key = await productAndStore(harness, 'travel');
    const first = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } })).addStock;
    // Time is the subject: two changes some milliseconds apart, and an instant between them.
    await sleep(30);
    const second = (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 4, reason: 'sold offline' } })).removeStock;
    const t1 = Date.parse(first.events[0].occurredAt);
    const t2 = Date.parse(second.events[0].occurredAt);
    expect(t2).toBeGreaterThan(t1 + 1);
    const AT = `query($p: ID!, $s: ID!, $at: DateTime!) { stockLevelAt(productId: $p, storeId: $s, at: $at) { ${LEVEL_FIELDS} } }`;
    const at = async (ms: number) => (await ok(harness, AT, { p: key.productId, s: key.storeId, at: new Date(ms).toISOString() })).stockLevelAt;

    expect(await at(t1 - 1)).toBeNull();
    expect(await at(t1)).toEqual(first.stockLevel);
    const between = await at(Math.floor((t1 + t2) / 2));
    expect(between).toEqual(first.stockLevel);
    expect(between).toMatchObject({ total: 10, available: 10, version: 1, position: first.events[0].position });
    expect(await at(t2)).toEqual(second.stockLevel);
    expect(await at(t2 + 60_000)).toMatchObject({ total: 6, version: 2 });
  });

  it('stockLevelHistory is the audit trail of the stream, oldest first, paged by version', async () => {
    const key = await productAndStore(harness, 'audit');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } }, { correlationId: 'audit-1' });
    await ok(harness, SET_THRESHOLD, { input: { ...key, threshold: 2 } });
    const reservationId = uid('r');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 3, customerId: 'c', reservationId } });
    await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 1, reason: 'broken' } });
    await ok(harness, `mutation($id: ID!) { confirmReservation(input: { reservationId: $id }) { replayed } }`, { id: reservationId });
    const HISTORY = `query($p: ID!, $s: ID!, $first: Int, $after: String) {
      stockLevelHistory(productId: $p, storeId: $s, first: $first, after: $after) {
        edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const pages = await allPages(HISTORY, 'stockLevelHistory', { p: key.productId, s: key.storeId, first: 2 });
    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 1]);
    const events = pages.flatMap((page) => page.edges.map((edge: any) => edge.node));
    expect(events.map((event) => [event.version, event.type])).toEqual([
      [1, 'StockAdded'],
      [2, 'LowStockThresholdSet'],
      [3, 'StockReserved'],
      [4, 'StockRemoved'],
      [5, 'ReservationConfirmed'],
    ]);
    expect(events[0].metadata.correlationId).toBe('audit-1');
    expect(events[3].data).toEqual({ ...key, quantity: 1, reason: 'broken' });
    const positions = events.map((event) => BigInt(event.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    const unknown = await ok(harness, HISTORY, { p: 'none', s: 'none' });
    expect(unknown.stockLevelHistory.edges).toEqual([]);
  });
});

describe('federation _entities', () => {
  it('resolves Product, Store, StockLevel and Reservation representations in order, null for unknown ones', async () => {
    const key = await productAndStore(harness, 'entities');
    await ok(harness, ADD_STOCK, { input: { ...key, quantity: 9 } });
    const reservationId = uid('r');
    await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 4, customerId: 'cust_e', reservationId } });
    const data = await ok(
      harness,
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on Product { id name totalAvailable stockLevels { storeId available } }
          ... on Store { id name location }
          ... on StockLevel { productId storeId total reserved available product { id } store { id } reservations { id } }
          ... on Reservation { id quantity status product { id } store { name } }
        }
      }`,
      {
        representations: [
          { __typename: 'Product', id: key.productId },
          { __typename: 'Store', id: key.storeId },
          { __typename: 'StockLevel', productId: key.productId, storeId: key.storeId },
          { __typename: 'Reservation', id: reservationId },
          { __typename: 'Product', id: 'unknown' },
        ],
      },
    );
    expect(data._entities).toEqual([
      { __typename: 'Product', id: key.productId, name: 'Product entities', totalAvailable: 5, stockLevels: [{ storeId: key.storeId, available: 5 }] },
      { __typename: 'Store', id: key.storeId, name: 'Store entities', location: 'Lyon' },
      {
        __typename: 'StockLevel',
        ...key,
        total: 9,
        reserved: 4,
        available: 5,
        product: { id: key.productId },
        store: { id: key.storeId },
        reservations: [{ id: reservationId }],
      },
      { __typename: 'Reservation', id: reservationId, quantity: 4, status: 'PENDING', product: { id: key.productId }, store: { name: 'Store entities' } },
      null,
    ]);
  });
});
