import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordedEvent } from '../../../subgraphs/shared/event-store/contract.js';
import { backend } from '../../support/environment.js';
import { startInventoryHarness, type InventoryHarness } from '../../support/inventory-harness.js';
import { untilSentinel } from '../../support/sentinel.js';
import {
  ADD_STOCK,
  EVENT_FIELDS,
  LEVEL_FIELDS,
  REMOVE_STOCK,
  RESERVE_STOCK,
  eventCount,
  expectStrictlyIncreasing,
  ok,
  positionsOf,
  productAndStore,
  subscribeLive,
  waitFor,
  wsClient,
} from './helpers.js';

// Generous limits: each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

const run = promisify(execFile);

/** Something that can make the bus unreachable and bring it back. */
interface Outage {
  readonly description: string;
  /** Starts the harness on this bus. */
  start(): Promise<InventoryHarness>;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Publish attempts that failed while the bus was down. */
  failedPublishes(harness: InventoryHarness): number;
  cleanup(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function redisAnswers(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'], { timeout: 10_000 });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

/**
 * A throwaway redis-server on a random port: shut down with `shutdown nosave`, restarted on the same
 * port. The shared Redis of the environment is never touched. The server runs in the foreground as
 * a child of this process (not daemonized), so its exit is reaped here.
 */
async function throwawayRedis(): Promise<Outage> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'tributary-redis-'));
  let failures = 0;
  let server: ChildProcess | undefined;
  const startServer = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    await waitFor(() => redisAnswers(port), `redis-server on port ${port}`);
  };
  const stopServer = async () => {
    const stopping = server;
    const exited = stopping && stopping.exitCode === null ? new Promise((resolve) => stopping.once('exit', resolve)) : Promise.resolve();
    await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    await exited;
    await waitFor(async () => !(await redisAnswers(port)), `redis-server on port ${port} to stop`);
  };
  await startServer();
  return {
    description: `a throwaway redis-server on port ${port}`,
    async start() {
      const harness = await startInventoryHarness({ redisUrl: `redis://127.0.0.1:${port}` });
      const publish = harness.platform.bus.publish.bind(harness.platform.bus);
      harness.platform.bus.publish = async (events) => {
        try {
          await publish(events);
        } catch (error) {
          failures += 1;
          throw error;
        }
      };
      return harness;
    },
    down: stopServer,
    up: startServer,
    failedPublishes: () => failures,
    async cleanup() {
      if (server && server.exitCode === null) await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The in-process bus, wrapped so that publishing fails while it is "down". */
function failingInMemoryBus(): Outage {
  let unreachable = false;
  let failures = 0;
  return {
    description: 'the in-process bus failing every publish',
    async start() {
      const harness = await startInventoryHarness({ redisUrl: null });
      const publish = harness.platform.bus.publish.bind(harness.platform.bus);
      harness.platform.bus.publish = async (events) => {
        if (unreachable) {
          failures += 1;
          throw new Error('bus unreachable');
        }
        await publish(events);
      };
      return harness;
    },
    async down() {
      unreachable = true;
    },
    async up() {
      unreachable = false;
    },
    failedPublishes: () => failures,
    async cleanup() {},
  };
}

let outage: Outage;
let harness: InventoryHarness;
let client: Client;

beforeAll(async () => {
  outage = backend.redisUrl ? await throwawayRedis() : failingInMemoryBus();
  harness = await outage.start();
  client = wsClient(harness);
});

afterAll(async () => {
  await client?.dispose();
  await harness?.close();
  await outage?.cleanup();
});

describe('bus outage', () => {
  it('events committed while the bus is unreachable reach subscribers once it is back, in order and once', async () => {
    const key = await productAndStore(harness, 'outage');
    const events = await subscribeLive<RecordedEvent>(harness, client, `subscription { inventoryEvents { ${EVENT_FIELDS} } }`, {}, 3);
    const levels = await subscribeLive<{ total: number; position: string }>(
      harness,
      client,
      `subscription($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { ${LEVEL_FIELDS} } }`,
      { p: key.productId, s: key.storeId },
      1,
    );
    const first = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 10 } })).addStock;
    // The setup's own events may still be on their way to the bus when the subscription opens, so
    // count from the event of the first command rather than from the subscription's start.
    await waitFor(() => events.items.some((event) => event.position === first.events[0].position), 'the first stock event');
    await waitFor(() => levels.items.some((level) => level.total === 10), 'the first stock level');
    const eventsBefore = events.items.length;
    const levelsBefore = levels.items.length;

    await outage.down();
    const before = await eventCount(harness);
    // Commands keep working: the store is the outbox.
    const committed = [
      (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 5 } })).addStock,
      (await ok(harness, REMOVE_STOCK, { input: { ...key, quantity: 2, reason: 'outage' } })).removeStock,
      (await ok(harness, RESERVE_STOCK, { input: { ...key, quantity: 3, customerId: 'c' } })).reserveStock,
    ];
    expect(await eventCount(harness)).toBe(before + 3);
    // A publish failed after the commits: what it would have delivered would be here.
    await waitFor(() => outage.failedPublishes(harness) > 0, `a failed publish on ${outage.description}`);
    expect(events.items).toHaveLength(eventsBefore);
    expect(levels.items).toHaveLength(levelsBefore);

    await outage.up();
    const delivered = await events.waitForItems(eventsBefore + 3);
    expect(delivered.slice(eventsBefore).map((event) => event.position)).toEqual(committed.map((payload) => payload.events[0].position));
    const deliveredLevels = await levels.waitForItems(levelsBefore + 3);
    expect(deliveredLevels.slice(levelsBefore - 1).map((level) => level.total)).toEqual([10, 15, 13, 13]);

    // And live again afterwards.
    const after = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock;
    await events.waitForItems(eventsBefore + 4);
    // One more change, the sentinel: a duplicate of what came before would be delivered ahead of it.
    const sentinel = (await ok(harness, ADD_STOCK, { input: { ...key, quantity: 1 } })).addStock.events[0].position as string;
    const received = await untilSentinel(
      events.items,
      () => undefined,
      (event) => event.position === sentinel,
    );
    expect(received.map((event) => event.position).at(-1)).toBe(after.events[0].position);
    expect(received).toHaveLength(eventsBefore + 4);
    expectStrictlyIncreasing(positionsOf(events.items));
    expectStrictlyIncreasing(positionsOf(levels.items));
  });
});
