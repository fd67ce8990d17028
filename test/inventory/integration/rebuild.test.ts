import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allProjections } from '../../../subgraphs/projections.js';
import { stockDecider, stockSnapshots, stockStreamId, type StockEvent, type StockState } from '../../../subgraphs/inventory/domain/index.js';
import { inventoryProjections, stockProjection, type StockProjectionState } from '../../../subgraphs/inventory/projections/index.js';
import { PostgresClient } from '../../../subgraphs/shared/database/postgres.js';
import { isDomainError } from '../../../subgraphs/shared/errors/codes.js';
import type { RecordedEvent } from '../../../subgraphs/shared/event-store/contract.js';
import { rebuildProjections, type RebuildProgress } from '../../../subgraphs/shared/projections/rebuild.js';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { checkProperty } from '../../support/properties.js';
import { StockScript, stockSteps, type StockStep } from '../domain/stock-scripts.js';
import {
  ADD_STOCK,
  CONFIRM_RESERVATION,
  REGISTER_PRODUCT,
  REGISTER_STORE,
  RELEASE_RESERVATION,
  REMOVE_STOCK,
  RESERVATION_FIELDS,
  RESERVE_STOCK,
  SET_THRESHOLD,
  eventCount,
  ok,
  uid,
  waitFor,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

let harness: InventoryHarness;

beforeAll(async () => {
  harness = await startInventoryHarness({ expiryIntervalMs: 100 });
});

afterAll(async () => {
  await harness?.close();
});

const TABLES = {
  products: 'SELECT * FROM products ORDER BY id',
  stores: 'SELECT * FROM stores ORDER BY id',
  stock_levels: 'SELECT * FROM stock_levels ORDER BY product_id, store_id',
  reservations: 'SELECT * FROM reservations ORDER BY id',
};

async function readModels(): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, query] of Object.entries(TABLES)) result[table] = await harness.platform.db.sql.query(query);
  return result;
}

/** A realistic mix: a catalogue, stock movements, and reservations confirmed, released and expired. */
async function realisticHistory(): Promise<void> {
  const products: string[] = [];
  const stores: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    const { registerStore } = await ok(harness, REGISTER_STORE, { input: { name: `Store ${index}`, location: index ? `City ${index}` : null } });
    stores.push(registerStore.store.id);
  }
  for (let index = 0; index < 6; index += 1) {
    const id = uid(`p${index}`);
    products.push(id);
    await ok(harness, REGISTER_PRODUCT, { input: { id, sku: id.toUpperCase(), name: `Product ${index}`, description: index % 2 ? 'odd' : null } });
  }
  const pending: string[] = [];
  const expiring: string[] = [];
  for (const [p, productId] of products.entries()) {
    for (const [s, storeId] of stores.entries()) {
      if ((p + s) % 4 === 3) continue; // not every product in every store
      const key = { productId, storeId };
      await ok(harness, ADD_STOCK, { input: { ...key, quantity: 20 + p * 3 + s } });
      if (s === 1) await ok(harness, SET_THRESHOLD, { input: { ...key, threshold: 5 + p } });
      if (p % 2 === 0) await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 2 + s, reason: 'shrinkage' } });
      const reserved: string[] = [];
      for (let r = 0; r < 3; r += 1) {
        const { reserveStock } = await ok(harness, RESERVE_STOCK, {
          input: { ...key, quantity: 1 + r, customerId: `cust_${r}`, ttlSeconds: r === 2 && p < 3 ? 1 : 900 },
        });
        reserved.push(reserveStock.reservation.id);
      }
      await ok(harness, CONFIRM_RESERVATION, { input: { reservationId: reserved[0] } });
      if (p % 3 === 0) await ok(harness, RELEASE_RESERVATION, { input: { reservationId: reserved[1] } });
      else pending.push(reserved[1]!);
      if (p < 3) expiring.push(reserved[2]!);
      else pending.push(reserved[2]!);
      await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } });
    }
  }
  // Let the service expire the short reservations itself.
  const RESERVATION = `query($id: ID!) { reservation(id: $id) { ${RESERVATION_FIELDS} } }`;
  for (const id of expiring) {
    await waitFor(async () => (await ok(harness, RESERVATION, { id })).reservation.status === 'EXPIRED', `reservation ${id} to expire`);
  }
  const statuses = await harness.platform.db.sql.query<{ status: string; count: string }>(
    'SELECT status, count(*)::text AS count FROM reservations GROUP BY status ORDER BY status',
  );
  expect(Object.fromEntries(statuses.map((row) => [row.status, Number(row.count)]))).toEqual({
    CONFIRMED: expect.any(Number),
    EXPIRED: expiring.length,
    PENDING: pending.length,
    RELEASED: expect.any(Number),
  });
}

describe('projection rebuild', () => {
  it('registers the inventory projections for rebuilds', () => {
    for (const projection of inventoryProjections) expect(allProjections).toContain(projection);
    const tables = allProjections.flatMap((projection) => projection.tables);
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('rebuilt read models equal the inline ones after a realistic mix of commands', async () => {
    await realisticHistory();
    // The publisher is idle and no reservation is due: nothing changes while we compare.
    await waitFor(async () => !(await harness.platform.publisher.publishBatch()), 'the publisher to catch up');
    const before = await readModels();
    const events = await eventCount(harness);
    const progress: RebuildProgress[] = [];
    const report = await rebuildProjections(harness.platform.db.sql, allProjections, {
      pageSize: 50,
      onProgress: (step) => progress.push(step),
    });
    // Other subgraphs' projections are registered too: their tables are empty on both sides.
    expect(report.differences).toMatchObject({ products: 0, stores: 0, stock_levels: 0, reservations: 0 });
    expect(Object.values(report.differences).every((count) => count === 0)).toBe(true);
    expect(report.equal).toBe(true);
    expect(report.events).toBe(events);
    expect(report.rows).toBe(Object.values(before).reduce((sum, rows) => sum + rows.length, 0));
    expect(progress.at(-1)).toEqual({ eventsRead: events, eventsTotal: events });
    expect(progress.length).toBeGreaterThan(1);
    expect(await readModels()).toEqual(before);
  });

  it('rebuilt stock rows equal the inline ones on a stream that outgrew several snapshots', async () => {
    const key = { productId: uid('p_long'), storeId: uid('s_long') };
    await ok(harness, REGISTER_PRODUCT, { input: { id: key.productId, sku: key.productId.toUpperCase(), name: 'Long' } });
    await ok(harness, REGISTER_STORE, { input: { id: key.storeId, name: 'Long' } });
    // Movements and reservations (confirmed, released, left pending) across snapshot boundaries.
    for (let round = 0; round < 3 * stockSnapshots.every; round += 4) {
      await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } });
      const { reserveStock } = await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 2, customerId: `cust_${round}` } });
      const reservationId = reserveStock.reservation.id;
      if (round % 3 === 0) await ok(harness, CONFIRM_RESERVATION, { input: { reservationId } });
      else if (round % 3 === 1) await ok(harness, RELEASE_RESERVATION, { input: { reservationId } });
      else await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 1, reason: 'shrinkage' } });
    }
    const { sql } = harness.platform.db;
    const [snapshot] = await sql.query<{ version: number }>('SELECT version FROM stream_snapshots WHERE stream_id = $1', [
      stockStreamId(key.productId, key.storeId),
    ]);
    expect(snapshot!.version).toBeGreaterThanOrEqual(2 * stockSnapshots.every);
    await waitFor(async () => !(await harness.platform.publisher.publishBatch()), 'the publisher to catch up');
    const before = await readModels();
    const report = await rebuildProjections(sql, allProjections);
    expect(report.equal).toBe(true);
    expect(await readModels()).toEqual(before);
  });

  it('replays events committed after a transaction that is still open elsewhere, and keeps their rows', async () => {
    // A transaction with an id, left open: events committed after it began sit above the snapshot's
    // xmin. (PGlite has a single connection, where no transaction can stay open beside the rebuild.)
    const { sql } = harness.platform.db;
    const held = sql instanceof PostgresClient ? await sql.pool.connect() : undefined;
    try {
      await held?.query('BEGIN');
      await held?.query('SELECT pg_current_xact_id()');
      const key = { productId: uid('p_open'), storeId: uid('s_open') };
      await ok(harness, REGISTER_PRODUCT, { input: { id: key.productId, sku: key.productId.toUpperCase(), name: 'Open' } });
      await ok(harness, REGISTER_STORE, { input: { id: key.storeId, name: 'Open' } });
      await ok(harness, ADD_STOCK, { input: { ...key, quantity: 7 } });
      const before = await readModels();
      const report = await rebuildProjections(sql, allProjections);
      expect(report.equal).toBe(true);
      expect(report.events).toBe(await eventCount(harness));
      expect(await readModels()).toEqual(before);
      const [level] = await sql.query('SELECT total FROM stock_levels WHERE product_id = $1', [key.productId]);
      expect(level).toEqual({ total: 7 });
    } finally {
      await held?.query('ROLLBACK');
      held?.release();
    }
  });

  it('finds and repairs a drifted read model; a dry run only reports', async () => {
    const before = await readModels();
    const { sql } = harness.platform.db;
    await sql.query(
      `UPDATE stock_levels SET total = total + 1
       WHERE (product_id, store_id) = (SELECT product_id, store_id FROM stock_levels ORDER BY product_id, store_id LIMIT 1)`,
    );
    await sql.query(`DELETE FROM reservations WHERE id = (SELECT min(id) FROM reservations)`);
    await sql.query(`INSERT INTO stores (id, name, location, version, created_at, updated_at) VALUES ('ghost', 'Ghost', '', 1, now(), now())`);
    const drifted = await readModels();

    const dry = await rebuildProjections(sql, allProjections, { replace: false });
    // A changed row counts twice (the inline one and the rebuilt one); a missing or extra row once.
    expect(dry.differences).toMatchObject({ products: 0, stores: 1, stock_levels: 2, reservations: 1 });
    expect(Object.values(dry.differences).reduce((sum, count) => sum + count, 0)).toBe(4);
    expect(dry.equal).toBe(false);
    expect(await readModels()).toEqual(drifted);

    const repaired = await rebuildProjections(sql, allProjections);
    expect(repaired.differences).toEqual(dry.differences);
    expect(await readModels()).toEqual(before);
    expect((await rebuildProjections(sql, allProjections)).equal).toBe(true);
  });
});

describe('stock projection', () => {
  /** The events the stock decider records for `steps`: a valid history with every kind of event. */
  function historyOf(steps: readonly StockStep[]): Array<RecordedEvent<StockEvent>> {
    const key = { productId: 'p', storeId: 's' };
    const script = new StockScript(key, Date.parse('2026-01-01T00:00:00Z'));
    const events: Array<RecordedEvent<StockEvent>> = [];
    let decided: StockState = stockDecider.initialState();
    for (const step of steps) {
      const command = script.commandFor(step, decided);
      let decidedEvents: StockEvent[];
      try {
        decidedEvents = stockDecider.decide(command, decided);
      } catch (error) {
        if (isDomainError(error)) continue;
        throw error;
      }
      const occurredAt = script.clock();
      for (const event of decidedEvents) {
        decided = stockDecider.evolve(decided, event);
        events.push({
          ...event,
          position: String(events.length + 1),
          transactionId: '1',
          streamId: 'stock-p:s',
          version: events.length + 1,
          metadata: {},
          occurredAt,
        });
      }
    }
    return events;
  }

  it('agrees with the stock decider on the level and every reservation after each event', () => {
    const types = new Set<string>();
    const reasons = new Set<string>();
    checkProperty(
      fc.property(stockSteps(150), (steps) => {
        const history = historyOf(steps);
        let decided: StockState = stockDecider.initialState();
        let projected: StockProjectionState = stockProjection.initial();
        for (const event of history) {
          decided = stockDecider.evolve(decided, event);
          projected = stockProjection.evolve(projected, event);
          expect(projected.level).toMatchObject({
            total: decided.total,
            reserved: decided.reserved,
            lowStockThreshold: decided.lowStockThreshold,
            version: event.version,
            position: event.position,
          });
          const rows = Object.fromEntries(
            [...projected.reservations.values()].map((row) => [
              row.id,
              { quantity: row.quantity, customerId: row.customerId, status: row.status, expiresAt: row.expiresAt.toISOString() },
            ]),
          );
          expect(rows).toEqual(decided.reservations);
          types.add(event.type);
          if (event.type === 'ReservationReleased') reasons.add((event.data as { reason: string }).reason);
        }
      }),
      { numRuns: 60 },
    );
    // The histories held every kind of event, and releases of both kinds.
    expect(types.size).toBe(6);
    expect([...reasons].sort()).toEqual(['EXPIRED', 'RELEASED']);
  });
});
