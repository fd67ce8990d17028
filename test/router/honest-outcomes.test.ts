import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../subgraphs/shared/commands/handle-command.js';
import type { SqlClient } from '../../subgraphs/shared/database/sql.js';
import { withDeadline } from '../../subgraphs/shared/commands/deadline.js';
import { STOCK_EVENTS, stockDecider, stockStreamId } from '../../subgraphs/inventory/domain/index.js';
import { subgraphPolicies } from '../../router/resilience/subgraph-policy.js';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import type { GraphQLResponse } from '../support/graphql-clients.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { bearer, postRaw, signedByRouter, testRouterPlugins } from '../support/security.js';
import { addStock, newStock } from '../support/stock-through-router.js';

let stack: RouterStack;
const routers: RunningRouter[] = [];

const ROUTER_TIMEOUT_MS = 1_500;

beforeAll(async () => {
  stack = await startRouterStack();
  // Two routers with a short subgraph timeout, as a busy deployment would run out of it.
  for (let index = 0; index < 2; index += 1) {
    routers.push(
      await startRouter({
        supergraph: staticSupergraph(stack.supergraphSdl),
        port: 0,
        logger: silentLogger,
        plugins: await testRouterPlugins(),
        policies: subgraphPolicies({ timeoutMs: ROUTER_TIMEOUT_MS, maxConcurrent: 4_096, maxQueued: 4_096 }),
      }),
    );
  }
});
afterAll(async () => {
  for (const router of routers) await router.close();
  await stack.close();
});

/** An AddStock of 3 units on a fresh stock level, run straight through handleCommand; `precheck` slows it. */
async function addStockCommand(precheck?: (tx: SqlClient) => Promise<void>) {
  const key = await newStock(stack.router.url);
  return {
    streamId: stockStreamId(key.productId, key.storeId),
    events: STOCK_EVENTS,
    decider: stockDecider,
    command: { type: 'AddStock' as const, productId: key.productId, storeId: key.storeId, quantity: 3 },
    metadata: {},
    ...(precheck ? { precheck } : {}),
  };
}

describe('deadlines', () => {
  it('does not start a command whose deadline has passed', async () => {
    const spec = await addStockCommand();
    await expect(withDeadline(Date.now() - 1, () => handleCommand(stack.platform.db.sql, spec))).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(await stack.platform.store.readStream(spec.streamId)).toEqual([]);
  });

  it('rolls back a command that would commit after its deadline', async () => {
    // The command is well on its way when the deadline passes (the deadline is the subject).
    const spec = await addStockCommand(() => new Promise<void>((resolve) => setTimeout(resolve, 600)));
    await expect(withDeadline(Date.now() + 500, () => handleCommand(stack.platform.db.sql, spec))).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(await stack.platform.store.readStream(spec.streamId)).toEqual([]);
  });

  it('answers DEADLINE_EXCEEDED, not an internal error, when a statement outlives the time left', async () => {
    // A slow statement: PostgreSQL cancels it at the statement timeout the deadline set.
    const spec = await addStockCommand(async (tx) => {
      await tx.query('SELECT pg_sleep(1.5)');
    });
    await expect(withDeadline(Date.now() + 800, () => handleCommand(stack.platform.db.sql, spec))).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      extensions: { outcome: 'NOT_APPLIED' },
    });
    expect(await stack.platform.store.readStream(spec.streamId)).toEqual([]);
  });

  it('refuses a call whose deadline header is past, saying nothing was applied', async () => {
    const key = await newStock(stack.router.url);
    const response = await postRaw(
      stack.inventory.url,
      'mutation($p: ID!, $s: ID!) { addStock(input: { productId: $p, storeId: $s, quantity: 1 }) { stockLevel { total } } }',
      { p: key.productId, s: key.storeId },
      { ...(await signedByRouter()), 'x-tributary-deadline': String(Date.now() - 1_000) },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'DEADLINE_EXCEEDED', outcome: 'NOT_APPLIED' });
  });
});

interface Attempt {
  readonly id: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly outcome?: string;
  readonly message?: string;
}

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } replayed } }`;

describe('honest outcomes under load', () => {
  it('leaves no ghost write among 1,500 concurrent reservations through two routers with a short timeout', { timeout: 600_000 }, async () => {
    const key = await newStock(stack.router.url);
    await addStock(stack.router.url, key, 1_500);
    const headers = await bearer('shopper', ['inventory:write']);
    const reserve = async (id: string, router: RunningRouter): Promise<GraphQLResponse & { replayed?: boolean }> => {
      const response = await fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          query: RESERVE,
          variables: { input: { productId: key.productId, storeId: key.storeId, quantity: 1, customerId: id, reservationId: id, idempotencyKey: id } },
        }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    const ids = Array.from({ length: 1_500 }, (_, index) => `honest-${index}`);
    const attempts: Attempt[] = await Promise.all(
      ids.map(async (id, index) => {
        const response = await reserve(id, routers[index % 2]!);
        if (!response.errors) return { id, ok: response.data?.reserveStock.reservation.id === id };
        const extensions = response.errors[0]?.extensions ?? {};
        const code = String(extensions.code);
        // The message says what went wrong when the code is not one the router promises.
        const message = code === 'INTERNAL_SERVER_ERROR' ? { message: response.errors[0]?.message } : {};
        return { id, ok: false, code, ...message, ...(typeof extensions.outcome === 'string' ? { outcome: extensions.outcome } : {}) };
      }),
    );
    // Let whatever the subgraph was still doing finish before looking at the store: time is what
    // bounds it, as no command may commit past its deadline, and every deadline is over by then.
    await new Promise((resolve) => setTimeout(resolve, ROUTER_TIMEOUT_MS * 2));
    const stored = new Set(
      (
        await stack.platform.db.sql.query<{ id: string }>('SELECT id FROM reservations WHERE product_id = $1 AND store_id = $2', [key.productId, key.storeId])
      ).map((row) => row.id),
    );
    const failures = attempts.filter((attempt) => !attempt.ok);
    expect(attempts.filter((attempt) => attempt.code === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    // Every success is in the store.
    for (const attempt of attempts) if (attempt.ok) expect(stored.has(attempt.id), attempt.id).toBe(true);
    // A failure that says nothing was applied is not in the store; the others say the outcome is unknown.
    for (const failure of failures) {
      expect(['NOT_APPLIED', 'UNKNOWN'], JSON.stringify(failure)).toContain(failure.outcome);
      if (failure.outcome === 'NOT_APPLIED') expect(stored.has(failure.id), JSON.stringify(failure)).toBe(false);
    }
    // No ghost write: what the store holds was either reported done or reported unknown.
    const reportedDone = new Set(attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.id));
    const unknown = new Set(failures.filter((failure) => failure.outcome === 'UNKNOWN').map((failure) => failure.id));
    for (const id of stored) expect(reportedDone.has(id) || unknown.has(id), id).toBe(true);
    // A retry with the same key is safe: it answers what was stored, or runs the command once.
    for (const failure of failures) {
      let retried = await reserve(failure.id, stack.router);
      for (let attempt = 0; attempt < 5 && retried.errors; attempt += 1) retried = await reserve(failure.id, stack.router);
      expect(retried.errors, JSON.stringify(retried.errors)).toBeUndefined();
      expect(retried.data?.reserveStock.replayed).toBe(stored.has(failure.id));
    }
    const finalCount = await stack.platform.db.sql.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM reservations WHERE product_id = $1 AND store_id = $2',
      [key.productId, key.storeId],
    );
    expect(Number(finalCount[0]!.count)).toBe(1_500);
    const codes = new Map<string, number>();
    for (const failure of failures) codes.set(failure.code ?? '', (codes.get(failure.code ?? '') ?? 0) + 1);
    console.log(
      `first attempts: ${attempts.length - failures.length} succeeded, ${failures.length} failed (${failures.filter((f) => f.outcome === 'UNKNOWN').length} unknown, ${failures.filter((f) => f.outcome === 'NOT_APPLIED').length} not applied; ${[...codes].map(([code, count]) => `${code} ${count}`).join(', ')})`,
    );
  });
});
