import type { GraphQLCall } from './client.js';
import type { SeedProgress } from './progress.js';
import { PRODUCTS, STORES, productId, prng, storeId } from './world.js';

/** Stock levels (product, store) whose threshold the seed puts just above their stock: they read as low. */
const LOW_STOCK: ReadonlyArray<readonly [number, number]> = [
  [3, 0],
  [7, 1],
];
/** Reservations (product, store, quantity) left pending for a day. */
const RESERVATIONS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 2],
  [1, 2, 1],
  [4, 1, 3],
];
const RESERVATION_TTL_SECONDS = 86_400;

/** What the inventory phase did. */
export interface InventorySeedReport {
  readonly products: number;
  readonly stores: number;
  readonly stockLevels: number;
  readonly lowStockLevels: number;
  readonly reservations: number;
}

/** Products, stores and stock in every store; each command has an idempotency key, so a rerun replays. */
export async function seedInventory(call: GraphQLCall, seed: number, progress: SeedProgress): Promise<InventorySeedReport> {
  // Its own sequence: the tracking data is the same whether or not this phase runs.
  const stockRandom = prng(seed ^ 0x5eed);
  const steps = PRODUCTS.length + STORES.length + PRODUCTS.length * STORES.length + LOW_STOCK.length + RESERVATIONS.length;
  const phase = progress.phase('inventory', steps, 'commands');
  const added = new Map<string, number>();
  for (const [index, [name, description]] of PRODUCTS.entries()) {
    await call(`mutation SeedProduct($input: RegisterProductInput!) { registerProduct(input: $input) { replayed } }`, {
      input: { id: productId(index), sku: `SEED-${String(index + 1).padStart(3, '0')}`, name, description, idempotencyKey: `seed:product:${index + 1}` },
    });
    phase.advance(1, name);
  }
  for (const [index, [name, location]] of STORES.entries()) {
    await call(`mutation SeedStore($input: RegisterStoreInput!) { registerStore(input: $input) { replayed } }`, {
      input: { id: storeId(index), name, location, idempotencyKey: `seed:store:${index + 1}` },
    });
    phase.advance(1, name);
  }
  for (let product = 0; product < PRODUCTS.length; product += 1) {
    for (let store = 0; store < STORES.length; store += 1) {
      const quantity = 20 + Math.floor(stockRandom() * 180);
      added.set(`${product}:${store}`, quantity);
      await call(`mutation SeedStock($input: AddStockInput!) { addStock(input: $input) { replayed } }`, {
        input: { productId: productId(product), storeId: storeId(store), quantity, idempotencyKey: `seed:stock:${product + 1}:${store + 1}` },
      });
      phase.advance(1, PRODUCTS[product]![0]);
    }
  }
  for (const [product, store] of LOW_STOCK) {
    await call(`mutation SeedThreshold($input: SetLowStockThresholdInput!) { setLowStockThreshold(input: $input) { replayed } }`, {
      input: {
        productId: productId(product),
        storeId: storeId(store),
        threshold: (added.get(`${product}:${store}`) ?? 0) + 5,
        idempotencyKey: `seed:threshold:${product + 1}:${store + 1}`,
      },
    });
    phase.advance(1, PRODUCTS[product]![0]);
  }
  for (const [index, [product, store, quantity]] of RESERVATIONS.entries()) {
    await call(`mutation SeedReservation($input: ReserveStockInput!) { reserveStock(input: $input) { replayed } }`, {
      input: {
        reservationId: `seed-reservation-${index + 1}`,
        productId: productId(product),
        storeId: storeId(store),
        quantity,
        customerId: `seed-customer-${index + 1}`,
        ttlSeconds: RESERVATION_TTL_SECONDS,
        idempotencyKey: `seed:reservation:${index + 1}`,
      },
    });
    phase.advance(1, PRODUCTS[product]![0]);
  }
  phase.finish();
  return {
    products: PRODUCTS.length,
    stores: STORES.length,
    stockLevels: PRODUCTS.length * STORES.length,
    lowStockLevels: LOW_STOCK.length,
    reservations: RESERVATIONS.length,
  };
}
