import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRouter } from '../../router/start-router.js';
import { fileSupergraph } from '../../router/supergraph/supergraph-source.js';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { startRouterStack, type RouterStack } from '../support/router-harness.js';
import { bearer, testRouterPlugins } from '../support/security.js';
import { messageText } from '../../common/websocket/message-text.js';

let stack: RouterStack;

beforeAll(async () => {
  stack = await startRouterStack({ router: { connectionInitWaitTimeoutMs: 300 } });
});
afterAll(async () => {
  await stack.close();
});

/** A raw graphql-transport-ws socket, for protocol-level assertions. */
async function rawSocket(): Promise<{ socket: WebSocket; messages: Array<Record<string, unknown>>; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(stack.router.wsUrl, 'graphql-transport-ws');
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(messageText(data)) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

async function acknowledged() {
  const raw = await rawSocket();
  raw.socket.send(JSON.stringify({ type: 'connection_init' }));
  await eventually(() => raw.messages.some((message) => message.type === 'connection_ack'), 5_000, 'connection_ack');
  return raw;
}

async function firstSubscriptionError(query: string, variables: Record<string, unknown> = {}) {
  const client = wsClient(stack.router.wsUrl);
  const stream = collect(client, query, variables);
  await eventually(() => stream.errors.length > 0 || stream.results.length > 0, 5_000, 'an answer');
  await client.dispose();
  return (stream.errors[0] ?? stream.results[0]?.errors) as Array<{ message: string; extensions?: { code?: string } }>;
}

describe('bad operations get coded GraphQL errors, never a crash', () => {
  it('over HTTP: syntax error, unknown field, invalid variables', async () => {
    const syntax = await gql(stack.router.url, '{ product(id: "1" { name } }');
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await gql(stack.router.url, '{ product(id: "1") { nope } }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variables = await gql(stack.router.url, 'query($id: ID!) { product(id: $id) { name } }', { id: { not: 'an id' } });
    expect(variables.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await gql(stack.router.url, 'query($id: ID!) { product(id: $id) { name } }', {});
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The router still answers.
    expect((await gql(stack.router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('over WebSocket: syntax error, unknown field, invalid variables, bad resume position', async () => {
    expect((await firstSubscriptionError('subscription { stockLevelChanged(productId: "p" { total } }'))[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await firstSubscriptionError('subscription { stockLevelChanged(productId: "p", storeId: "s") { nope } }'))[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(
      (await firstSubscriptionError('subscription($p: ID!) { stockLevelChanged(productId: $p, storeId: "s") { total } }', { p: ['x'] }))[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await firstSubscriptionError('subscription { stockLevelChanged(productId: "p", storeId: "s", after: "not-a-position") { total } }'))[0]?.extensions
        ?.code,
    ).toBe('BAD_USER_INPUT');
    expect((await gql(stack.router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('runs queries and mutations over the socket too', async () => {
    const client = wsClient(stack.router.wsUrl);
    const result = await new Promise((resolve, reject) =>
      client.subscribe({ query: '{ stores(first: 1) { edges { node { id } } } }' }, { next: resolve, error: reject, complete: () => undefined }),
    );
    expect(result).toEqual({ data: { stores: { edges: [] } } });
    await client.dispose();
  });
});

describe('correlation ids', () => {
  it("forwards the caller's correlation id to the subgraph and into the event metadata", async () => {
    const result = await gql(
      stack.router.url,
      'mutation { registerStore(input: { id: "corr-1", name: "Sevilla" }) { events { metadata { correlationId } } } }',
      {},
      { 'x-correlation-id': 'trace-42', ...(await bearer('protocol-tester')) },
    );
    expect(result.data?.registerStore.events[0].metadata.correlationId).toBe('trace-42');
  });
});

describe('graphql-ws protocol', () => {
  it('closes a socket that does not initialise in time with 4408', async () => {
    const raw = await rawSocket();
    expect((await raw.closed).code).toBe(4408);
  });

  it('closes with 4401 when a subscribe arrives before the connection is acknowledged', async () => {
    const raw = await rawSocket();
    raw.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }));
    expect((await raw.closed).code).toBe(4401);
  });

  it('closes with 4409 on a duplicate subscription id', async () => {
    const raw = await acknowledged();
    const subscribe = { id: 'same', type: 'subscribe', payload: { query: 'subscription { inventoryEvents { position } }' } };
    raw.socket.send(JSON.stringify(subscribe));
    raw.socket.send(JSON.stringify(subscribe));
    expect((await raw.closed).code).toBe(4409);
  });

  it('answers ping with pong', async () => {
    const raw = await acknowledged();
    raw.socket.send(JSON.stringify({ type: 'ping' }));
    await eventually(() => raw.messages.some((message) => message.type === 'pong'), 5_000, 'pong');
    raw.socket.close();
  });
});

describe('supergraph reloads', () => {
  it('ends open subscriptions with SUPERGRAPH_RELOADED when the supergraph changes', async () => {
    const client = wsClient(stack.router.wsUrl);
    const stream = collect(client, 'subscription { inventoryEvents { position } }');
    await eventually(() => stack.router.engine.stats().upstreams > 0, 5_000, 'upstream');
    stack.router.reload(stack.supergraphSdl);
    await eventually(() => stream.errors.length > 0 || stream.results.length > 0, 5_000, 'the reload notice');
    const errors = (stream.errors[0] ?? stream.results[0]?.errors) as Array<{ extensions?: { code?: string } }>;
    expect(errors[0]?.extensions?.code).toBe('SUPERGRAPH_RELOADED');
    await client.dispose();
  });

  it('reloads the supergraph file without a restart when it changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-supergraph-'));
    const file = path.join(dir, 'supergraph.graphql');
    const withoutForecast = stack.supergraphSdl.replace(/\n\s*forecast: Int!.*\n/, '\n');
    await writeFile(file, stack.supergraphSdl);
    // The router's log, to see it refuse a broken file instead of waiting for a reload that should not come.
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push((JSON.parse(line) as { msg: string }).msg) });
    const router = await startRouter({ supergraph: fileSupergraph(file, { debounceMs: 20 }), port: 0, logger, plugins: await testRouterPlugins() });
    try {
      expect((await gql(router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
      const before = router.current();
      await writeFile(file, `${stack.supergraphSdl}\n# touched\n`);
      await eventually(() => router.current() !== before, 5_000, 'reload');
      expect(router.current().sdl).toContain('# touched');
      // A broken file is rejected and the current supergraph stays.
      const current = router.current();
      await writeFile(file, 'this is not a supergraph');
      await eventually(() => logged.includes('new supergraph rejected; keeping the current one'), 5_000, 'the refusal');
      expect(router.current()).toBe(current);
      void withoutForecast;
    } finally {
      await router.close();
    }
  });
});

describe('health', () => {
  it('reports live on /health and ready on /ready only while every subgraph answers', async () => {
    const base = stack.router.url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { subgraphs: Array<{ ok: boolean }> }).subgraphs.every((subgraph) => subgraph.ok)).toBe(true);
  });

  it('exposes subscription counters for Prometheus on /metrics', async () => {
    const base = stack.router.url.replace('/graphql', '');
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^tributary_router_subscription_upstreams \d+$/m);
    expect(text).toMatch(/^tributary_router_subscription_enrichments_total \d+$/m);
  });
});
