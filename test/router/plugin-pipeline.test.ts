import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterPlugin } from '../../router/plugins/contract.js';
import { RouterError } from '../../router/plugins/router-error.js';
import { collect, eventually, wsClient, type GraphQLResponse } from '../support/graphql-clients.js';
import { startRouterStack, type RouterStack } from '../support/router-harness.js';
import { testRouterPlugins } from '../support/security.js';
import { addStock, newStock, type StockKey } from '../support/stock-through-router.js';

/** Records every hook call of the operations it sees, in order, without knowing the transport. */
function recorder(): RouterPlugin & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'recorder',
    calls,
    onRequest(event) {
      calls.push(`request ${event.context.identity ? 'known' : 'anonymous'}`);
      if (event.request.header('x-tenant')) event.extendContext({ correlationId: `tenant-${event.request.header('x-tenant')}` });
    },
    onParse(event) {
      calls.push(`parse ${event.operationName ?? ''}`);
    },
    onOperation(event) {
      calls.push(
        `operation ${event.operation.kind} ${event.operation.name ?? ''} ${event.context.correlationId.startsWith('tenant-') ? event.context.correlationId : ''}`.trim(),
      );
      if (event.operation.name === 'Forbidden') throw new RouterError('FORBIDDEN_BY_TEST', 'this operation is refused by a plugin', { httpStatus: 403 });
    },
    onPlan(event) {
      calls.push(`plan ${event.plan.node?.kind ?? 'none'}`);
    },
    onSubgraphRequest(event) {
      calls.push(`subgraph ${event.kind} ${event.subgraph}${event.operation ? ` for ${event.operation.name ?? ''}` : ''}`);
    },
    onResult(event) {
      calls.push(`result ${event.result.errors ? 'errors' : 'data'}`);
      event.setResult({ ...event.result, extensions: { ...event.result.extensions, seenBy: 'recorder' } });
    },
  };
}

const plugin = recorder();
let stack: RouterStack;
let key: StockKey;

beforeAll(async () => {
  stack = await startRouterStack({ router: { plugins: [...(await testRouterPlugins()), plugin] } });
  key = await newStock(stack.router.url);
  await addStock(stack.router.url, key, 4);
});
afterAll(async () => {
  await stack.close();
});

const LEVEL = `query Level($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { total forecast } }`;

async function overHttp(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(stack.router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse & { extensions?: Record<string, unknown> }) };
}

async function overWebSocket(query: string, variables: Record<string, unknown>, connectionParams: Record<string, unknown> = {}) {
  const client = wsClient(stack.router.wsUrl, { connectionParams });
  try {
    return await new Promise<GraphQLResponse & { extensions?: Record<string, unknown> }>((resolve, reject) =>
      client.subscribe({ query, variables }, { next: (value) => resolve(value as GraphQLResponse), error: reject, complete: () => undefined }),
    );
  } finally {
    await client.dispose();
  }
}

describe('the plugin pipeline', () => {
  it('runs the same hooks in the same order for an operation over HTTP and over WebSocket', async () => {
    plugin.calls.length = 0;
    const http = await overHttp(LEVEL, { p: key.productId, s: key.storeId });
    const httpCalls = plugin.calls.splice(0);
    const ws = await overWebSocket(LEVEL, { p: key.productId, s: key.storeId });
    const wsCalls = plugin.calls.splice(0);
    expect(httpCalls).toEqual([
      'request anonymous',
      'parse ',
      'operation query Level',
      'plan Sequence',
      'subgraph fetch inventory for Level',
      'subgraph fetch forecast for Level',
      'result data',
    ]);
    expect(wsCalls).toEqual(httpCalls);
    // A result hook's change reaches clients of both transports.
    expect(http.extensions).toEqual({ seenBy: 'recorder' });
    expect(ws.extensions).toEqual({ seenBy: 'recorder' });
    expect(ws.data).toEqual(http.data);
  });

  it('builds the context from headers over HTTP and from connection_init over WebSocket', async () => {
    plugin.calls.length = 0;
    await overHttp(LEVEL, { p: key.productId, s: key.storeId }, { 'x-tenant': 'acme' });
    const httpCalls = plugin.calls.splice(0);
    await overWebSocket(LEVEL, { p: key.productId, s: key.storeId }, { 'x-tenant': 'acme' });
    expect(plugin.calls.splice(0)).toEqual(httpCalls);
    expect(httpCalls).toContain('operation query Level tenant-acme');
  });

  it('lets an operation hook refuse an operation with its own code on both transports', async () => {
    const query = `query Forbidden { __typename }`;
    const http = await overHttp(query, {});
    expect(http.status).toBe(403);
    expect(http.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_BY_TEST');
    const ws = await overWebSocket(query, {}).then(
      () => undefined,
      (error: unknown) => error as Array<{ extensions?: { code?: string } }>,
    );
    expect(ws?.[0]?.extensions?.code).toBe('FORBIDDEN_BY_TEST');
  });

  it('runs the subscription hooks once to start it, and the fetch and result hooks for every event', async () => {
    const subscriptionKey = await newStock(stack.router.url);
    plugin.calls.length = 0;
    const opened = stack.liveOpened();
    const client = wsClient(stack.router.wsUrl);
    const stream = collect(client, `subscription Levels($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { total forecast } }`, {
      p: subscriptionKey.productId,
      s: subscriptionKey.storeId,
    });
    await eventually(() => plugin.calls.includes('subgraph subscription inventory for Levels'), 10_000, 'the upstream subscription');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the live subscription');
    await addStock(stack.router.url, subscriptionKey, 2);
    await stream.waitFor(1);
    await client.dispose();
    const calls = plugin.calls.filter((call) => !call.includes('Mutation') && !call.startsWith('subgraph connection'));
    expect(calls.slice(0, 5)).toEqual([
      'request anonymous',
      'parse ',
      'operation subscription Levels',
      'plan Subscription',
      'subgraph subscription inventory for Levels',
    ]);
    expect(calls).toContain('subgraph fetch forecast for Levels');
    expect(calls[calls.length - 1]).toBe('result data');
  });
});
