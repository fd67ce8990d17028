import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryCommands, type InventoryCommands } from '../../../subgraphs/inventory/commands/inventory-commands.js';
import { EXPIRER_ACTOR } from '../../../subgraphs/inventory/expiry/expire-overdue.js';
import { ReservationExpirer } from '../../../subgraphs/inventory/expiry/reservation-expirer.js';
import type { SqlClient } from '../../../subgraphs/shared/database/sql.js';
import { startPlatformReplicas, type PlatformReplicas } from '../../support/platform-replicas.js';
import { pollUntil, sleep, uid } from '../../support/waiting.js';

const HOOK_TIMEOUT_MS = 180_000;
const metadata = { correlationId: 'expiry-lease-test', actor: 'test' };
const PRODUCT = 'expiring-product';

let replicas: PlatformReplicas;
let commands: InventoryCommands[];
let sql: SqlClient;
const expirers: ReservationExpirer[] = [];

beforeAll(async () => {
  replicas = await startPlatformReplicas(2);
  commands = replicas.platforms.map((platform) => inventoryCommands(platform));
  sql = replicas.platforms[0]!.db.sql;
  await commands[0]!.registerProduct({ id: PRODUCT, sku: 'EXP-1', name: 'Expiring' }, metadata);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const expirer of expirers) await expirer.stop();
  await replicas?.close();
}, HOOK_TIMEOUT_MS);

/** `count` one-second reservations spread over `stores` stock levels, sent at once from both replicas. */
async function reserveSoonExpiring(stores: readonly string[], count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => uid('r'));
  await Promise.all(
    ids.map((reservationId, index) =>
      commands[index % 2]!.reserveStock(
        { productId: PRODUCT, storeId: stores[index % stores.length]!, quantity: 1, customerId: 'c', ttlSeconds: 1, reservationId },
        metadata,
      ),
    ),
  );
  return ids;
}

const pending = async (): Promise<number> =>
  Number((await sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM reservations WHERE status = 'PENDING'`))[0]!.count);

/** Every expiry recorded: the reservation, the transaction and who recorded it. */
const expiredEvents = () =>
  sql.query<{ reservation_id: string; transaction_id: string; actor: string }>(
    `SELECT data->>'reservationId' AS reservation_id, transaction_id::text, metadata->>'actor' AS actor
     FROM events WHERE type = 'ReservationReleased' AND data->>'reason' = 'EXPIRED'`,
  );

describe('reservation expiry on two replicas', () => {
  it(
    '1,000 overdue reservations are each expired exactly once, by the one replica holding the lease, many per transaction; when it stops the other takes over',
    { timeout: 240_000 },
    async () => {
      const stores = Array.from({ length: 10 }, (_, index) => `expiry-store-${index}`);
      for (const storeId of stores) {
        await commands[0]!.registerStore({ id: storeId, name: storeId }, metadata);
        await commands[1]!.addStock({ productId: PRODUCT, storeId, quantity: 1000 }, metadata);
      }
      const ids = await reserveSoonExpiring(stores, 1000);
      // Overdue before anyone sweeps: a pass finds up to a batch at once. (Their time running out
      // is what the wait is for.)
      await sleep(1_100);
      for (const platform of replicas.platforms) {
        const expirer = new ReservationExpirer({ platform, logger: pino({ level: 'silent' }), intervalMs: 100 });
        expirers.push(expirer);
        expirer.start();
      }
      await pollUntil(async () => (await pending()) === 0, 'every reservation to expire', 120_000);

      const expired = await expiredEvents();
      expect(expired).toHaveLength(1000);
      expect(new Set(expired.map((event) => event.reservation_id))).toEqual(new Set(ids));
      expect(new Set(expired.map((event) => event.actor))).toEqual(new Set([EXPIRER_ACTOR]));
      // Batches: a pass of up to 500, one transaction per stock level.
      expect(new Set(expired.map((event) => event.transaction_id)).size).toBeLessThanOrEqual(50);
      const [first, second] = expirers as [ReservationExpirer, ReservationExpirer];
      expect([first.expired, second.expired].sort((a, b) => a - b)).toEqual([0, 1000]);
      const leader = first.expired > 0 ? first : second;
      const other = leader === first ? second : first;
      expect(leader.leading).toBe(true);
      expect(other.leading).toBe(false);
      const [level] = await sql.query<{ reserved: number }>('SELECT sum(reserved)::int AS reserved FROM stock_levels WHERE product_id = $1', [PRODUCT]);
      expect(level?.reserved).toBe(0);

      // The leader stops (a replica shuts down): the other takes the lease over.
      await leader.stop();
      const later = await reserveSoonExpiring(stores, 20);
      await pollUntil(async () => (await pending()) === 0, 'the later reservations to expire', 60_000);
      expect(other.expired).toBe(20);
      expect(leader.expired).toBe(1000);
      expect(other.leading).toBe(true);
      const all = await expiredEvents();
      expect(all).toHaveLength(1020);
      expect(new Set(all.map((event) => event.reservation_id))).toEqual(new Set([...ids, ...later]));
    },
  );
});
