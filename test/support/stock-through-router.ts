import { expect } from 'vitest';
import { gql } from './graphql-clients.js';
import { bearer } from './security.js';

let sequence = 0;

/** A stock level key of a product and a store registered through the router. */
export type StockKey = {
  readonly productId: string;
  readonly storeId: string;
};

/** Registers a new product and store through the router. */
export async function newStock(routerUrl: string): Promise<StockKey> {
  sequence += 1;
  const productId = `product-${sequence}-${process.pid}`;
  const storeId = `store-${sequence}-${process.pid}`;
  const created = await gql(
    routerUrl,
    `mutation($p: ID!, $s: ID!, $sku: String!) {
      registerProduct(input: { id: $p, sku: $sku, name: "Green tea" }) { product { id } }
      registerStore(input: { id: $s, name: "Madrid" }) { store { id } }
    }`,
    { p: productId, s: storeId, sku: `SKU-${sequence}-${process.pid}` },
    await bearer(),
  );
  expect(created.errors).toBeUndefined();
  return { productId, storeId };
}

/** Adds stock through the router; returns the new level's total and event position. */
export async function addStock(routerUrl: string, key: StockKey, quantity: number): Promise<{ total: number; position: string }> {
  const result = await gql(
    routerUrl,
    `mutation($p: ID!, $s: ID!, $q: Int!) {
      addStock(input: { productId: $p, storeId: $s, quantity: $q }) { stockLevel { total position } }
    }`,
    { p: key.productId, s: key.storeId, q: quantity },
    await bearer(),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.addStock.stockLevel as { total: number; position: string };
}
