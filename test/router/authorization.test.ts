import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDevelopmentToken } from '../../common/trust/development-key.js';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { collect, eventually, wsClient, type GraphQLResponse } from '../support/graphql-clients.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { bearer, clientKey, clientToken, testRouterPlugins } from '../support/security.js';
import { addStock, newStock, type StockKey } from '../support/stock-through-router.js';

let stack: RouterStack;
let strict: RunningRouter;
let key: StockKey;

/** POSTs an operation; returns the HTTP status with the body. */
async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse) };
}

const LEVEL = `query($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { total forecast forecastConfidence } }`;

beforeAll(async () => {
  stack = await startRouterStack();
  // The same subgraphs behind a router that refuses any operation touching a field the caller may not see.
  strict = await startRouter({
    supergraph: staticSupergraph(stack.supergraphSdl),
    port: 0,
    logger: silentLogger,
    plugins: await testRouterPlugins({ config: { authorization: { reject_unauthorized: true } } }),
  });
  key = await newStock(stack.router.url);
  await addStock(stack.router.url, key, 5);
});
afterAll(async () => {
  await strict.close();
  await stack.close();
});

describe('authorization directives over HTTP', () => {
  it('serves public reads to anonymous callers', async () => {
    const response = await post(stack.router.url, '{ stockLevel(productId: "nope", storeId: "nope") { total } }');
    expect(response).toEqual({ status: 200, data: { stockLevel: null } });
  });

  it('refuses a mutation of an anonymous caller with 401 UNAUTHENTICATED at its path, without running it', async () => {
    const response = await post(
      stack.router.url,
      'mutation { removeStock(input: { productId: "x", storeId: "y", quantity: 1, reason: "r" }) { stockLevel { total } } }',
    );
    expect(response.status).toBe(401);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([
      {
        message: 'Mutation.removeStock requires an authenticated caller and scope inventory:write',
        path: ['removeStock'],
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ]);
  });

  it('refuses a mutation of a caller without the domain scope with 403 FORBIDDEN', async () => {
    const response = await post(
      stack.router.url,
      'mutation($p: ID!, $s: ID!) { addStock(input: { productId: $p, storeId: $s, quantity: 1 }) { stockLevel { total } } }',
      { p: key.productId, s: key.storeId },
      await bearer('reader', ['tracking:write']),
    );
    expect(response.status).toBe(403);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    // Nothing ran: the level is as it was.
    const level = await post(stack.router.url, LEVEL, { p: key.productId, s: key.storeId }, await bearer('reader', ['forecast:read']));
    expect(level.data?.stockLevel.total).toBe(5);
  });

  it('serves the fields a caller may see and puts null with FORBIDDEN where it may not', async () => {
    const without = await post(stack.router.url, LEVEL, { p: key.productId, s: key.storeId }, await bearer('reader', []));
    expect(without.status).toBe(200);
    expect(without.data).toEqual({ stockLevel: { total: 5, forecast: expect.any(Number), forecastConfidence: null } });
    expect(without.errors).toEqual([
      {
        message: 'StockLevel.forecastConfidence requires scope forecast:read',
        path: ['stockLevel', 'forecastConfidence'],
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
    const anonymous = await post(stack.router.url, LEVEL, { p: key.productId, s: key.storeId });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const granted = await post(stack.router.url, LEVEL, { p: key.productId, s: key.storeId }, await bearer('planner', ['forecast:read']));
    expect(granted).toEqual({ status: 200, data: { stockLevel: { total: 5, forecast: expect.any(Number), forecastConfidence: 0.75 } } });
  });

  it('puts null in every list item and points the error at the first one', async () => {
    const query = `query($p: ID!) { product(id: $p) { stockLevels { total forecastConfidence } } }`;
    const response = await post(stack.router.url, query, { p: key.productId }, await bearer('reader', []));
    expect(response.data).toEqual({ product: { stockLevels: [{ total: 5, forecastConfidence: null }] } });
    expect((response.errors?.[0] as { path?: unknown } | undefined)?.path).toEqual(['product', 'stockLevels', 0, 'forecastConfidence']);
  });

  it('propagates the null of a denied non-null field to the nearest nullable parent; the mutation still runs', async () => {
    // Event metadata needs audit:read, and `metadata` is non-null: each event becomes null, then
    // the non-null events list, then the non-null payload, then `data`.
    const mutation = `mutation($p: ID!, $s: ID!) {
      addStock(input: { productId: $p, storeId: $s, quantity: 2 }) { stockLevel { total } events { type metadata { actor } } }
    }`;
    const own = await newStock(stack.router.url);
    const response = await post(stack.router.url, mutation, { p: own.productId, s: own.storeId }, await bearer('clerk', ['inventory:write']));
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      { message: 'InventoryEvent.metadata requires scope audit:read', path: ['addStock', 'events', 0, 'metadata'], extensions: { code: 'FORBIDDEN' } },
    ]);
    const audited = await post(stack.router.url, mutation, { p: own.productId, s: own.storeId }, await bearer('auditor', ['inventory:write', 'audit:read']));
    expect(audited.errors).toBeUndefined();
    // 4: the first mutation ran too.
    expect(audited.data?.addStock).toEqual({ stockLevel: { total: 4 }, events: [{ type: 'StockAdded', metadata: { actor: 'auditor' } }] });
  });

  it("grants a @policy field by the policy evaluator (default: the token's policies claim)", async () => {
    const query = `query($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { productId plannerNote } }`;
    const token = await issueDevelopmentToken(clientKey, { subject: 'ana', scopes: [], ttlSeconds: 600 });
    const denied = await post(stack.router.url, query, { p: key.productId, s: key.storeId }, { authorization: `Bearer ${token}` });
    expect(denied.data).toEqual({ stockLevel: { productId: key.productId, plannerNote: null } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { SignJWT } = await import('jose');
    const planner = await new SignJWT({ scope: '', policies: ['planner'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('tributary-development')
      .setAudience('tributary')
      .setSubject('luis')
      .setExpirationTime('10m')
      .sign(clientKey.secret);
    const granted = await post(stack.router.url, query, { p: key.productId, s: key.storeId }, { authorization: `Bearer ${planner}` });
    expect(granted).toEqual({ status: 200, data: { stockLevel: { productId: key.productId, plannerNote: `restock ${key.productId}` } } });
  });

  it('refuses the whole operation under rejectUnauthorized, naming every denied field', async () => {
    const response = await post(strict.url, LEVEL, { p: key.productId, s: key.storeId }, await bearer('reader', []));
    expect(response.status).toBe(403);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([
      {
        message: 'StockLevel.forecastConfidence requires scope forecast:read',
        path: ['stockLevel', 'forecastConfidence'],
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
    const granted = await post(strict.url, LEVEL, { p: key.productId, s: key.storeId }, await bearer('planner', ['forecast:read']));
    expect(granted.status).toBe(200);
    expect(granted.data?.stockLevel.forecastConfidence).toBe(0.75);
  });
});

const STOCK = `subscription($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { total forecastConfidence } }`;

describe('authorization directives on subscriptions', () => {
  it('cuts each event per caller, and never shares an upstream between callers it cuts differently', async () => {
    const subscriptionKey = await newStock(stack.router.url);
    const vars = { p: subscriptionKey.productId, s: subscriptionKey.storeId };
    const reader = wsClient(stack.router.wsUrl, { connectionParams: { authorization: `Bearer ${await clientToken('reader', [])}` } });
    const otherReader = wsClient(stack.router.wsUrl, {
      connectionParams: { authorization: `Bearer ${await clientToken('other-reader', ['tracking:write'])}` },
    });
    const planner = wsClient(stack.router.wsUrl, { connectionParams: { authorization: `Bearer ${await clientToken('planner', ['forecast:read'])}` } });
    const before = stack.router.engine.stats().upstreamsStarted;
    const opened = stack.liveOpened();
    const readerStream = collect(reader, STOCK, vars);
    const otherStream = collect(otherReader, STOCK, vars);
    const plannerStream = collect(planner, STOCK, vars);
    // Two decisions (forecast:read granted or not): two upstreams; both readers share one.
    await eventually(() => stack.router.engine.stats().upstreamsStarted - before === 2 && stack.router.engine.stats().clients >= 3, 10_000, 'upstreams');
    await eventually(() => stack.liveOpened() - opened >= 2, 10_000, 'live subscriptions on the subgraph');
    await addStock(stack.router.url, subscriptionKey, 3);
    const [readerEvent] = await readerStream.waitFor(1);
    const [otherEvent] = await otherStream.waitFor(1);
    const [plannerEvent] = await plannerStream.waitFor(1);
    expect(readerEvent?.data).toEqual({ stockLevelChanged: { total: 3, forecastConfidence: null } });
    expect(readerEvent?.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(otherEvent).toEqual(readerEvent);
    expect(plannerEvent).toEqual({ data: { stockLevelChanged: { total: 3, forecastConfidence: 0.75 } } });
    expect(stack.router.engine.stats().upstreamsStarted - before).toBe(2);
    await Promise.all([reader.dispose(), otherReader.dispose(), planner.dispose()]);
  });

  it('refuses a subscription of which nothing may be seen', async () => {
    const client = wsClient(stack.router.wsUrl);
    const stream = collect(client, `subscription { inventoryEvents { metadata { actor } } }`);
    await eventually(() => stream.errors.length > 0, 10_000, 'the refusal');
    expect((stream.errors[0] as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await client.dispose();
  });
});
