import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { aliasedProducts, productCampaignCycle } from '../limits/shipped-operations.js';
import { testRedis, type TestRedis } from '../rate-limit/test-redis.js';
import { eventually, type GraphQLResponse } from '../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import { silentLogger } from '../support/router-harness.js';
import { bearer, testRouterPlugins } from '../support/security.js';
import { addStock, newStock, type StockKey } from '../support/stock-through-router.js';
import { messageText } from '../../common/websocket/message-text.js';

/** How long a refusal may take (the measure starts when the request is sent). */
const REFUSED_WITHIN_MS = 1_000;
/** What the whole process (router and subgraphs, in this test's process) may grow by during the attacks. */
const RSS_GROWTH_BOUND_BYTES = 400 * 1024 * 1024;
/** Requests per measurement of the well-behaved client: its p99 is then the 3rd slowest, not a single pause. */
const WELL_BEHAVED_REQUESTS = 300;

let stack: FullStack;
let limited: RunningRouter;
let key: StockKey;
let redis: TestRedis;
const sharedLimit: RunningRouter[] = [];

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started, ...body };
}

const codesOf = (response: GraphQLResponse) => response.errors?.map((error) => error.extensions?.code);

/** A well-behaved client: sequential queries at a steady pace; returns the p99 latency. */
async function wellBehavedP99(url: string, count: number, headers: Record<string, string>): Promise<number> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const response = await post(
      url,
      `query($p: ID!, $s: ID!) { stockLevel(productId: $p, storeId: $s) { total product { name } } }`,
      { p: key.productId, s: key.storeId },
      headers,
    );
    expect(response.errors).toBeUndefined();
    latencies.push(performance.now() - started);
    // The pace is the point: a client well within its rate.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.ceil(0.99 * latencies.length) - 1]!;
}

beforeAll(async () => {
  stack = await startFullStack();
  key = await newStock(stack.router.url);
  await addStock(stack.router.url, key, 10);
  // The same subgraphs behind a router with the default in-memory rate limits on.
  limited = await startRouter({
    supergraph: staticSupergraph(stack.supergraphSdl),
    port: 0,
    logger: silentLogger,
    plugins: await testRouterPlugins({ config: { rate_limit: { enabled: true } } }),
  });
  // Two routers whose buckets live in one Redis.
  redis = await testRedis();
  const prefix = { rate_limit: { enabled: true, redis_url: redis.url } };
  for (let index = 0; index < 2; index += 1) {
    const plugins = await testRouterPlugins({ config: prefix });
    sharedLimit.push(await startRouter({ supergraph: staticSupergraph(stack.supergraphSdl), port: 0, logger: silentLogger, plugins }));
  }
});
afterAll(async () => {
  for (const router of sharedLimit) await router.close();
  await limited.close();
  await redis.stop();
  await stack.close();
});

describe('operation limits, demand control and size limits', () => {
  it('refuses each attack with its code within a second and stays up', async () => {
    const rssBefore = process.memoryUsage().rss;
    const attacks: Array<[string, string, string[]]> = [
      ['51 levels of products → campaigns → product', productCampaignCycle(51), ['MAX_DEPTH_EXCEEDED']],
      ['10,000 aliases of products(first: 1)', aliasedProducts(10_000, 1), ['MAX_OPERATION_SIZE_EXCEEDED']],
      ['1,000 aliases of products(first: 50)', aliasedProducts(1_000, 50), ['MAX_TOKENS_EXCEEDED']],
      ['110 aliases of products(first: 50)', aliasedProducts(110, 50), ['MAX_ALIASES_EXCEEDED', 'MAX_ROOT_FIELDS_EXCEEDED']],
      [
        '25 aliased pages of 500 products with their stock',
        `{ ${Array.from({ length: 20 }, (_, i) => `p${i}: products(first: 500) { edges { node { stockLevels { available } } } }`).join(' ')} }`,
        ['COST_ESTIMATED_TOO_EXPENSIVE'],
      ],
    ];
    for (const [name, query, codes] of attacks) {
      const response = await post(stack.router.url, query);
      expect({ name, status: response.status, codes: codesOf(response) }).toEqual({ name, status: 400, codes });
      expect(response.ms, name).toBeLessThan(REFUSED_WITHIN_MS);
    }
    const refusedCost = await post(stack.router.url, attacks[4]![1]);
    expect(refusedCost.errors?.[0]?.extensions).toMatchObject({ cost: { estimated: expect.any(Number), budget: 25_000 } });
    expect((await post(stack.router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
  });

  it('refuses the same attacks over WebSocket', async () => {
    const socket = await acknowledgedSocket(stack.router.wsUrl);
    const errors = new Map<string, unknown>();
    socket.on('message', (data) => {
      const message = JSON.parse(messageText(data)) as { id?: string; type: string; payload?: unknown };
      if (message.type === 'error' && message.id) errors.set(message.id, message.payload);
    });
    socket.send(JSON.stringify({ id: 'deep', type: 'subscribe', payload: { query: productCampaignCycle(51) } }));
    socket.send(JSON.stringify({ id: 'wide', type: 'subscribe', payload: { query: aliasedProducts(1_000, 50) } }));
    await eventually(() => errors.size === 2, REFUSED_WITHIN_MS * 5, 'both refusals');
    expect((errors.get('deep') as Array<{ extensions: { code: string } }>)[0]?.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    expect((errors.get('wide') as Array<{ extensions: { code: string } }>)[0]?.extensions.code).toBe('MAX_TOKENS_EXCEEDED');
    socket.close();
  });

  it('closes a WebSocket that sends a 30 MB message, and answers 413 to a too large body on a connection it then closes', async () => {
    const socket = await acknowledgedSocket(stack.router.wsUrl);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: 'huge', type: 'subscribe', payload: { query: `{ __typename }`, variables: { pad: 'x'.repeat(30 * 1024 * 1024) } } }));
    expect(await closed).toBe(1009);

    const outcome = await new Promise<{ status: number; connection: string | undefined; closed: boolean }>((resolve, reject) => {
      const url = new URL(stack.router.url);
      const request = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 11 * 1024 * 1024 },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => {
          const socket = request.socket!;
          const answer = { status: response.statusCode ?? 0, connection: response.headers.connection, closed: true };
          if (socket.destroyed || socket.readyState === 'closed') resolve(answer);
          else socket.once('close', () => resolve(answer));
        });
      });
      request.write('{"query":"');
    });
    expect(outcome).toEqual({ status: 413, connection: 'close', closed: true });
    expect((await post(stack.router.url, '{ __typename }')).status).toBe(200);
  });
});

/** A graphql-transport-ws socket past connection_ack. */
async function acknowledgedSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    const onMessage = (data: WebSocket.RawData) => {
      if ((JSON.parse(messageText(data)) as { type: string }).type === 'connection_ack') {
        socket.off('message', onMessage);
        resolve();
      }
    };
    socket.on('message', onMessage);
  });
  return socket;
}

describe('WebSocket limits and backpressure', () => {
  it('refuses subscriptions past the per-socket limit with TOO_MANY_SUBSCRIPTIONS', async () => {
    const socket = await acknowledgedSocket(stack.router.wsUrl);
    const refused: string[] = [];
    const started = performance.now();
    let lastRefusalMs = 0;
    socket.on('message', (data) => {
      const message = JSON.parse(messageText(data)) as { type: string; payload?: Array<{ extensions?: { code?: string } }> };
      if (message.type !== 'error') return;
      lastRefusalMs = performance.now() - started;
      refused.push(message.payload?.[0]?.extensions?.code ?? '');
    });
    // 150 messages: within the burst of messages a socket may send, past its 100 operations.
    for (let index = 0; index < 150; index += 1) {
      socket.send(JSON.stringify({ id: `s${index}`, type: 'subscribe', payload: { query: 'subscription { inventoryEvents { position } }' } }));
    }
    await eventually(() => refused.length === 50, 10_000, '50 refusals');
    expect(new Set(refused)).toEqual(new Set(['TOO_MANY_SUBSCRIPTIONS']));
    expect(lastRefusalMs).toBeLessThan(REFUSED_WITHIN_MS);
    socket.close();
    await eventually(() => stack.router.engine.stats().clients === 0, 10_000, 'the subscriptions to end');
  });

  it('closes a socket that floods 10,000 subscriptions with 4029 RATE_LIMITED', async () => {
    const socket = await acknowledgedSocket(stack.router.wsUrl);
    const started = performance.now();
    const closed = new Promise<{ code: number; reason: string; ms: number }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason), ms: performance.now() - started })),
    );
    for (let index = 0; index < 10_000; index += 1) {
      socket.send(JSON.stringify({ id: `s${index}`, type: 'subscribe', payload: { query: 'subscription { inventoryEvents { position } }' } }));
    }
    const { code, reason, ms } = await closed;
    expect(code).toBe(4029);
    expect(reason).toMatch(/^RATE_LIMITED/);
    expect(ms).toBeLessThan(REFUSED_WITHIN_MS);
    // The router let go of what that socket had opened, and still answers.
    await eventually(() => stack.router.engine.stats().clients === 0, 10_000, 'the flooded subscriptions to end');
    expect((await post(stack.router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it(
    "keeps a well-behaved client's latency beside 100 subscriptions read 20 ms a second, and closes them with 4008 SLOW_CONSUMER once their reader stops",
    { timeout: 180_000 },
    async () => {
      const slowKey = await newStock(stack.router.url);
      const headers = await bearer('well-behaved', []);
      // The same traffic without the attacker: 100 events/s, for the well-behaved client's baseline.
      const load = stockEvents(slowKey, 100);
      // A router whose pings wait a minute: the socket is ended for being slow, not for missing pongs.
      const patient = await startRouter({
        supergraph: staticSupergraph(stack.supergraphSdl),
        port: 0,
        logger: silentLogger,
        plugins: await testRouterPlugins(),
        websocket: { keepAliveMs: 60_000 },
      });
      try {
        const baseline = await wellBehavedP99(patient.url, WELL_BEHAVED_REQUESTS, headers);
        const subscription = `subscription($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { total available reserved isLow product { name sku description } store { name location } } }`;
        const attacker = fork(
          new URL('../support/slow-reader-process.ts', import.meta.url),
          [patient.wsUrl, '100', subscription, JSON.stringify({ p: slowKey.productId, s: slowKey.storeId })],
          {
            execArgv: ['--import', 'tsx'],
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          },
        );
        const messages: Array<{ type: string; code?: number; reason?: string }> = [];
        attacker.on('message', (message) => messages.push(message as (typeof messages)[number]));
        await eventually(
          () => messages.some((message) => message.type === 'subscribed') && patient.engine.stats().clients === 100,
          30_000,
          'the attacker subscribed',
        );
        const rssBefore = process.memoryUsage().rss;
        const besideReader = await wellBehavedP99(patient.url, WELL_BEHAVED_REQUESTS, headers);
        // Now it reads nothing: what the router writes to it piles up until the router gives up on it.
        attacker.send('stall');
        const stoppedAt = performance.now();
        const besideStalled = wellBehavedP99(patient.url, WELL_BEHAVED_REQUESTS, headers);
        // The router drops the stalled subscriptions (and with them the shared upstream) and closes the socket.
        await eventually(() => patient.engine.stats().upstreams === 0, 45_000, 'the router to drop the stalled subscriptions');
        const closedAfterMs = performance.now() - stoppedAt;
        // Reading again, the client finds the close frame behind what was written before it.
        attacker.send('resume');
        await eventually(() => messages.some((message) => message.type === 'closed'), 30_000, 'the attacker to see its socket closed');
        const outcome = messages.find((message) => message.type === 'closed')!;
        const duringStall = await besideStalled;
        expect(outcome.code).toBe(4008);
        expect(outcome.reason).toMatch(/^SLOW_CONSUMER/);
        expect(closedAfterMs).toBeLessThan(45_000);
        expect(process.memoryUsage().rss - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_BYTES);
        expect(besideReader, `p99 ${besideReader.toFixed(1)} ms beside the reader against ${baseline.toFixed(1)} ms without`).toBeLessThanOrEqual(2 * baseline);
        expect(duringStall, `p99 ${duringStall.toFixed(1)} ms beside the stalled reader against ${baseline.toFixed(1)} ms without`).toBeLessThanOrEqual(
          2 * baseline,
        );
      } finally {
        load.stop();
        await load.done;
        await patient.close();
      }
    },
  );
});

/** Moves one stock level `perSecond` times a second through the router until stopped. */
function stockEvents(target: StockKey, perSecond: number): { stop(): void; done: Promise<void> } {
  let running = true;
  const done = (async () => {
    const headers = await bearer();
    while (running) {
      const started = performance.now();
      const response = await post(
        stack.router.url,
        'mutation($p: ID!, $s: ID!) { addStock(input: { productId: $p, storeId: $s, quantity: 1 }) { stockLevel { total } } }',
        { p: target.productId, s: target.storeId },
        headers,
      );
      expect(response.errors).toBeUndefined();
      // A rate, which is what the caller measures against.
      const wait = 1000 / perSecond - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return { stop: () => (running = false), done };
}

describe('rate limits', () => {
  it('refuses most of 5,000 requests of one identity in 2 s with 429 RATE_LIMITED and Retry-After, and not another identity', async () => {
    const flooder = await bearer(`flooder-${randomUUID()}`, []);
    const other = await bearer(`other-${randomUUID()}`, []);
    const started = performance.now();
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    let refusal: GraphQLResponse | undefined;
    const queue = Array.from({ length: 5_000 }, (_, index) => index);
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (queue.pop() !== undefined) {
          const response = await post(limited.url, '{ __typename }', {}, flooder);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 429) {
            retryAfter = response.retryAfter;
            refusal = response;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const allowed = statuses.get(200) ?? 0;
    // A bucket of 100 refilled at 50/s lets through at most 100 + 50 × seconds.
    expect(allowed).toBeLessThanOrEqual(100 + Math.ceil(50 * seconds) + 1);
    expect(statuses.get(429)).toBe(5_000 - allowed);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refusal?.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: Number(retryAfter) });
    expect((await post(limited.url, '{ __typename }', {}, other)).status).toBe(200);
  });

  it('shares one bucket between two routers on one Redis', async () => {
    const caller = await bearer(`shared-${randomUUID()}`, []);
    const started = performance.now();
    let allowed = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: 40 }, async (_, worker) => {
        for (let index = 0; index < 25; index += 1) {
          const response = await post(sharedLimit[worker % 2]!.url, '{ __typename }', {}, caller);
          if (response.status === 200) allowed += 1;
          if (response.status === 429) refused += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(allowed + refused).toBe(1_000);
    // Together the two routers let through what one bucket allows, not twice that.
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(100 + Math.ceil(50 * seconds) + 1);
  });
});
