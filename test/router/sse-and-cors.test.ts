import { createClient, type Client } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type GraphQLResponse } from '../support/graphql-clients.js';
import { startRouterStack, type RouterStack } from '../support/router-harness.js';
import { addStock, newStock } from '../support/stock-through-router.js';

let stack: RouterStack;
let sse: Client;

beforeAll(async () => {
  stack = await startRouterStack();
  sse = createClient({ url: stack.router.url, retryAttempts: 0 });
});
afterAll(async () => {
  sse.dispose();
  await stack.close();
});

const STOCK = `subscription($p: ID!, $s: ID!, $after: String) { stockLevelChanged(productId: $p, storeId: $s, after: $after) { total position forecast } }`;

/** Takes `count` results of an SSE subscription, then stops it. */
async function take(
  query: string,
  variables: Record<string, unknown>,
  count: number,
  whileOpen: () => Promise<void> = async () => undefined,
): Promise<GraphQLResponse[]> {
  const results: GraphQLResponse[] = [];
  const iterator = sse.iterate({ query, variables });
  const reading = (async () => {
    for await (const result of iterator) {
      results.push(result as GraphQLResponse);
      if (results.length === count) break;
    }
  })();
  await whileOpen();
  await reading;
  return results;
}

describe('GraphQL over Server-Sent Events', () => {
  it('streams an enriched subscription, and resumes after a position with nothing lost', async () => {
    const key = await newStock(stack.router.url);
    const opened = stack.liveOpened();
    const live = await take(STOCK, { p: key.productId, s: key.storeId }, 2, async () => {
      await eventually(() => stack.liveOpened() > opened, 10_000, 'the subgraph to listen');
      await addStock(stack.router.url, key, 2);
      await addStock(stack.router.url, key, 3);
    });
    expect(live.map((result) => result.data?.stockLevelChanged.total)).toEqual([2, 5]);
    expect(live[0]?.data?.stockLevelChanged.forecast).toEqual(expect.any(Number));
    // Two more changes while nobody listens; a resume after the last position seen gets exactly them.
    await addStock(stack.router.url, key, 4);
    await addStock(stack.router.url, key, 5);
    const resumed = await take(STOCK, { p: key.productId, s: key.storeId, after: live[1]!.data!.stockLevelChanged.position }, 2);
    expect(resumed.map((result) => result.data?.stockLevelChanged.total)).toEqual([9, 14]);
  });

  it('answers a query as one event, then completes', async () => {
    const results = await take('{ __typename }', {}, 1);
    expect(results).toEqual([{ data: { __typename: 'Query' } }]);
  });

  it('refuses a subscription sent as a plain POST with a coded 400, never a 500', async () => {
    const response = await fetch(stack.router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'subscription { inventoryEvents { position } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/text\/event-stream/);
  });
});

describe('CORS', () => {
  it('answers a preflight from a local development origin and marks its responses', async () => {
    const preflight = await fetch(stack.router.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const response = await fetch(stack.router.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('gives an origin that is not allowed no CORS headers', async () => {
    const preflight = await fetch(stack.router.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
