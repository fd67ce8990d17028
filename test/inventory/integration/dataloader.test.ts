import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { REGISTER_PRODUCT, REGISTER_STORE, ok, uid } from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;
const products: string[] = [];
const stores: string[] = [];
const reservations: string[] = [];

beforeAll(async () => {
  // The reservation expirer sweeps through the same logged client (every second by default); once an
  // hour keeps its reads out of the statements a request is counted for.
  harness = await startInventoryHarness({ expiryIntervalMs: 3_600_000 });
  // 50 products stocked in 2 stores each, registered through the API.
  for (let index = 0; index < 2; index += 1) {
    const id = uid(`s_batch${index}`);
    stores.push(id);
    await ok(harness, REGISTER_STORE, { input: { id, name: `Batch store ${index}` } });
  }
  for (let index = 0; index < 50; index += 1) {
    const id = uid(`p_batch${index}`);
    products.push(id);
    await ok(harness, REGISTER_PRODUCT, { input: { id, sku: id.toUpperCase(), name: `Batch product ${index}` } });
  }
  const STOCK = `mutation($p: ID!, $s: ID!, $q: Int!) { addStock(input: { productId: $p, storeId: $s, quantity: $q }) { replayed } }`;
  for (const [index, productId] of products.entries()) {
    for (const storeId of stores) await ok(harness, STOCK, { p: productId, s: storeId, q: index + 1 });
  }
  for (const productId of products.slice(0, 10)) {
    const { reserveStock } = await ok(
      harness,
      `mutation($p: ID!, $s: ID!) { reserveStock(input: { productId: $p, storeId: $s, quantity: 1, customerId: "c" }) { reservation { id } } }`,
      { p: productId, s: stores[0] },
    );
    reservations.push(reserveStock.reservation.id);
  }
});

afterAll(async () => {
  await harness?.close();
});

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Product { id sku stockLevels { storeId total available } totalAvailable }
    ... on Store { id name }
    ... on StockLevel { productId storeId total product { id name } store { id name } }
    ... on Reservation { id quantity }
  }
}`;

/** SQL statements per table for one request. */
async function statementsFor(variables: Record<string, unknown>) {
  harness.statements.reset();
  const data = await ok(harness, ENTITIES, variables);
  const byTable = {
    products: harness.statements.on('products').length,
    stores: harness.statements.on('stores').length,
    stock_levels: harness.statements.on('stock_levels').length,
    reservations: harness.statements.on('reservations').length,
    total: harness.statements.statements.length,
  };
  return { data, byTable };
}

describe('DataLoader batching', () => {
  it('50 Product representations with their stock levels cost one SQL statement per entity type', async () => {
    const { data, byTable } = await statementsFor({ representations: products.map((id) => ({ __typename: 'Product', id })) });
    expect(data._entities).toHaveLength(50);
    expect(data._entities.map((entity: any) => entity.id)).toEqual(products);
    for (const [index, entity] of data._entities.entries()) {
      expect(entity.stockLevels).toHaveLength(2);
      expect(entity.totalAvailable).toBe(2 * (index + 1) - (index < 10 ? 1 : 0));
    }
    // The products statement sums each product's stock levels (totalAvailable) in a subquery;
    // Product.stockLevels reads the levels themselves in the second.
    expect(byTable).toEqual({ products: 1, stores: 0, stock_levels: 2, reservations: 0, total: 2 });
  });

  it('a page of products with their totals available costs one statement', async () => {
    harness.statements.reset();
    const data = await ok(harness, `query { products(first: 60) { edges { node { id totalAvailable } } } }`);
    const totals = new Map(data.products.edges.map((edge: any) => [edge.node.id, edge.node.totalAvailable]));
    for (const [index, id] of products.entries()) expect(totals.get(id)).toBe(2 * (index + 1) - (index < 10 ? 1 : 0));
    expect(harness.statements.statements).toHaveLength(1);
  });

  it('a page that shows the stock levels too adds up its totals from them: the page statement sums nothing', async () => {
    harness.statements.reset();
    const data = await ok(harness, `query { products(first: 60) { edges { node { id totalAvailable stockLevels { available } } } } }`);
    for (const { node } of data.products.edges) {
      expect(node.totalAvailable).toBe(node.stockLevels.reduce((sum: number, level: any) => sum + level.available, 0));
    }
    expect(harness.statements.statements).toHaveLength(2);
    expect(harness.statements.on('stock_levels')).toHaveLength(1);
  });

  it('a page that shows totals and the stock levels with their stores reads the levels once', async () => {
    harness.statements.reset();
    const data = await ok(harness, `query { products(first: 60) { edges { node { id totalAvailable stockLevels { available store { name } } } } } }`);
    for (const { node } of data.products.edges) {
      expect(node.totalAvailable).toBe(node.stockLevels.reduce((sum: number, level: any) => sum + level.available, 0));
    }
    // The page, then the levels joined with their stores, which also give the totals.
    expect(harness.statements.statements).toHaveLength(2);
    expect(harness.statements.on('stock_levels')).toHaveLength(1);
  });

  it("products' stock levels come with their stores: the stores cost no statement of their own", async () => {
    harness.statements.reset();
    const data = await ok(
      harness,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id stockLevels { store { id name } } } } }`,
      { representations: products.slice(0, 5).map((id) => ({ __typename: 'Product', id })) },
    );
    for (const entity of data._entities) {
      expect(entity.stockLevels.map((level: any) => level.store)).toEqual(stores.map((id, index) => ({ id, name: `Batch store ${index}` })));
    }
    // The products, then their stock levels joined with the stores.
    expect(harness.statements.statements).toHaveLength(2);
    expect(harness.statements.on('stores')).toHaveLength(0);
  });

  it('a mixed batch of every entity type costs one statement per type and level of nesting', async () => {
    const representations = [
      ...products.slice(0, 20).map((id) => ({ __typename: 'Product', id })),
      ...stores.map((id) => ({ __typename: 'Store', id })),
      ...products.slice(20, 45).map((productId) => ({ __typename: 'StockLevel', productId, storeId: stores[1] })),
      ...reservations.map((id) => ({ __typename: 'Reservation', id })),
    ];
    const { data, byTable } = await statementsFor({ representations });
    expect(data._entities).toHaveLength(representations.length);
    expect(data._entities.every((entity: unknown) => entity !== null)).toBe(true);
    const levels = data._entities.filter((entity: any) => entity.productId);
    expect(levels).toHaveLength(25);
    expect(levels[0].product.id).toBe(products[20]);
    expect(levels[0].store.name).toBe('Batch store 1');
    // Level 1, the references: one statement per type. Level 2, the nested fields: Product.stockLevels
    // (one statement), StockLevel.product (one statement for the 25 products not loaded yet),
    // StockLevel.store (both stores are cached by the Store references: none). Both products
    // statements also sum stock levels (totalAvailable) in a subquery.
    expect(byTable).toEqual({ products: 2, stores: 1, stock_levels: 4, reservations: 1, total: 6 });
  });

  it('the statement count does not grow with the number of representations', async () => {
    const few = await statementsFor({ representations: products.slice(0, 3).map((id) => ({ __typename: 'Product', id })) });
    const many = await statementsFor({ representations: products.map((id) => ({ __typename: 'Product', id })) });
    expect(many.byTable.total).toBe(few.byTable.total);
  });
});
