import type { Client } from 'graphql-ws';
import { expect } from 'vitest';
import type { InventoryHarness } from '../../support/inventory-harness.js';
import { fails, ok } from '../../support/graphql-assertions.js';
import { pollUntil, sleep, uid } from '../../support/waiting.js';
import { subgraphWsClient } from '../../support/security.js';

export { sleep, uid };

/** Polls `condition` until it holds; fails with `message` after `timeoutMs`. */
export const waitFor = (condition: () => boolean | Promise<boolean>, message = 'condition', timeoutMs = 60_000): Promise<void> =>
  pollUntil(condition, message, timeoutMs);

// ── GraphQL documents ────────────────────────────────────────────────────────────────────────

export const EVENT_FIELDS = `position streamId version type data occurredAt metadata { correlationId causationId actor idempotencyKey }`;
export const LEVEL_FIELDS = `productId storeId total reserved available lowStockThreshold isLow version position updatedAt`;
export const RESERVATION_FIELDS = `id productId storeId quantity customerId status expiresAt createdAt updatedAt`;
export const PRODUCT_FIELDS = `id sku name description version createdAt updatedAt`;
export const STORE_FIELDS = `id name location version createdAt updatedAt`;

export const REGISTER_PRODUCT = `mutation($input: RegisterProductInput!) {
  registerProduct(input: $input) { product { ${PRODUCT_FIELDS} totalAvailable } events { ${EVENT_FIELDS} } replayed }
}`;
export const REGISTER_STORE = `mutation($input: RegisterStoreInput!) {
  registerStore(input: $input) { store { ${STORE_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const ADD_STOCK = `mutation($input: AddStockInput!) {
  addStock(input: $input) { stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const REMOVE_STOCK = `mutation($input: RemoveStockInput!) {
  removeStock(input: $input) { stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const RESERVE_STOCK = `mutation($input: ReserveStockInput!) {
  reserveStock(input: $input) {
    reservation { ${RESERVATION_FIELDS} } stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed
  }
}`;
export const CONFIRM_RESERVATION = `mutation($input: ConfirmReservationInput!) {
  confirmReservation(input: $input) {
    reservation { ${RESERVATION_FIELDS} } stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed
  }
}`;
export const RELEASE_RESERVATION = `mutation($input: ReleaseReservationInput!) {
  releaseReservation(input: $input) {
    reservation { ${RESERVATION_FIELDS} } stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed
  }
}`;
export const SET_THRESHOLD = `mutation($input: SetLowStockThresholdInput!) {
  setLowStockThreshold(input: $input) { stockLevel { ${LEVEL_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const STOCK_LEVEL = `query($productId: ID!, $storeId: ID!) { stockLevel(productId: $productId, storeId: $storeId) { ${LEVEL_FIELDS} } }`;

// ── calls ────────────────────────────────────────────────────────────────────────────────────

export { fails, ok };

/** A registered product and store, with an id each. */
export async function productAndStore(harness: InventoryHarness, label = 'item'): Promise<{ productId: string; storeId: string }> {
  const productId = uid(`p_${label}`);
  const storeId = uid(`s_${label}`);
  await ok(harness, REGISTER_PRODUCT, { input: { id: productId, sku: productId.toUpperCase(), name: `Product ${label}` } });
  await ok(harness, REGISTER_STORE, { input: { id: storeId, name: `Store ${label}`, location: 'Lyon' } });
  return { productId, storeId };
}

export async function addStock(harness: InventoryHarness, key: { productId: string; storeId: string }, quantity: number) {
  return (await ok(harness, ADD_STOCK, { input: { ...key, quantity } })).addStock;
}

// ── database snapshots ───────────────────────────────────────────────────────────────────────

/** Every read-model table and the event log, ordered, to prove that a call changed nothing. */
export async function snapshot(harness: InventoryHarness): Promise<Record<string, unknown[]>> {
  const { sql } = harness.platform.db;
  const tables: Record<string, string> = {
    events: 'SELECT position, stream_id, version, type, data FROM events ORDER BY position',
    streams: 'SELECT stream_id, version FROM streams ORDER BY stream_id',
    products: 'SELECT * FROM products ORDER BY id',
    stores: 'SELECT * FROM stores ORDER BY id',
    stock_levels: 'SELECT * FROM stock_levels ORDER BY product_id, store_id',
    reservations: 'SELECT * FROM reservations ORDER BY id',
  };
  const result: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(tables)) result[name] = await sql.query(query);
  return result;
}

export async function eventCount(harness: InventoryHarness): Promise<number> {
  const [row] = await harness.platform.db.sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
  return Number(row?.count ?? 0);
}

// ── graphql-ws ───────────────────────────────────────────────────────────────────────────────

export function wsClient(harness: InventoryHarness): Client {
  return subgraphWsClient(harness.wsUrl);
}

/** Collects what one subscription delivers. */
export class SubscriptionProbe<Item = Record<string, any>> {
  readonly items: Item[] = [];
  readonly errors: Array<{ message: string; extensions?: Record<string, any> }> = [];
  completed = false;
  private readonly dispose: () => void;

  constructor(
    client: Client,
    query: string,
    variables: Record<string, unknown> = {},
    private readonly field?: string,
  ) {
    this.dispose = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...(result.errors as SubscriptionProbe['errors']));
          if (result.data) {
            const data = result.data;
            this.items.push((this.field ? data[this.field] : Object.values(data)[0]) as Item);
          }
        },
        error: (error) => {
          this.errors.push(Array.isArray(error) ? (error[0] as SubscriptionProbe['errors'][number]) : { message: String((error as Error).message ?? error) });
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  async waitForItems(count: number, timeoutMs = 60_000): Promise<Item[]> {
    await waitFor(() => this.items.length >= count || this.errors.length > 0, `${count} subscription items (got ${this.items.length})`, timeoutMs);
    if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
    return this.items.slice(0, count);
  }

  stop(): void {
    this.dispose();
  }
}

/**
 * Subscribes and waits until the server's subscription resolver has subscribed to the bus
 * (`categories` bus subscriptions), so events committed from now on reach it live.
 */
export async function subscribeLive<Item = Record<string, any>>(
  harness: InventoryHarness,
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  categories: number,
): Promise<SubscriptionProbe<Item>> {
  const before = harness.busSubscribeCalls();
  const probe = new SubscriptionProbe<Item>(client, query, variables);
  await waitFor(() => harness.busSubscribeCalls() >= before + categories || probe.errors.length > 0, 'the bus subscription');
  return probe;
}

/** Positions as bigints, to compare log order. */
export const positionsOf = (items: ReadonlyArray<{ position: string }>): bigint[] => items.map((item) => BigInt(item.position));

export function expectStrictlyIncreasing(values: readonly bigint[]): void {
  for (let index = 1; index < values.length; index += 1) {
    expect(values[index]! > values[index - 1]!, `position ${values[index]} after ${values[index - 1]}`).toBe(true);
  }
}
