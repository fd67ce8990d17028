import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OperationTypeNode, parse } from 'graphql';
import type { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { operationRun } from '../../router/execution/operation-run.js';
import { SubgraphDataSource, createSubgraphAgent, type SubgraphHttpOptions } from '../../router/gateway/subgraph-data-source.js';
import type { RouterPlugin } from '../../router/plugins/contract.js';
import { HookRunner } from '../../router/plugins/hook-runner.js';
import { DEFAULT_SUBGRAPH_POLICY } from '../../router/resilience/subgraph-policy.js';
import { silentLogger } from '../support/router-harness.js';

/** A stand-in subgraph over real HTTP that records what it receives and answers as told. */
interface FakeSubgraph {
  readonly url: string;
  readonly received: Array<{ headers: IncomingMessage['headers']; body: { query: string; variables?: unknown } }>;
  respond: (res: ServerResponse) => void;
  close(): Promise<void>;
}

async function fakeSubgraph(): Promise<FakeSubgraph> {
  const sockets = new Set<Socket>();
  const fake: FakeSubgraph = {
    url: '',
    received: [],
    respond: (res) => res.end(JSON.stringify({ data: { ok: true } })),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      fake.received.push({ headers: req.headers, body: JSON.parse(raw) as FakeSubgraph['received'][number]['body'] });
      res.setHeader('content-type', 'application/json');
      fake.respond(res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return fake;
}

type Options = Parameters<SubgraphDataSource['process']>[0];

/** What the gateway's executor passes for one fetch of a client operation (run: its OperationRun). */
function fetchOf(query: string, variables: Record<string, unknown> = {}, run: { correlationId?: string; subject?: string; sharing?: string } = {}): Options {
  const context = {
    correlationId: run.correlationId ?? 'corr',
    logger: silentLogger,
    identity: run.subject ? { subject: run.subject, scopes: new Set<string>(), issuer: undefined, expiresAt: undefined, claims: {} } : undefined,
    clientAddress: undefined,
  };
  const handle = { kind: OperationTypeNode.QUERY, name: undefined, source: query };
  return {
    kind: 'incoming operation',
    request: { query, variables, http: { method: 'POST', url: '', headers: new Headers() } },
    incomingRequestContext: operationRun(context, handle, variables, undefined, run.sharing ?? ''),
    context,
    document: parse(query),
  } as unknown as Options;
}

/** A plugin that sets the headers a signing plugin would, from the caller. */
const headerPlugin: RouterPlugin = {
  name: 'test-headers',
  onSubgraphRequest(event) {
    if (event.context) event.setHeader('x-test-caller', `${event.context.identity?.subject ?? 'anonymous'}/${event.context.correlationId}`);
  },
};
const hooks = new HookRunner([headerPlugin]);
const dataSource = (url: string, options: SubgraphHttpOptions = {}) =>
  new SubgraphDataSource('inventory', [url], agent, hooks, { ...DEFAULT_SUBGRAPH_POLICY, timeoutMs: options.timeoutMs ?? 300, retries: 0 }, options);

let subgraph: FakeSubgraph;
let agent: Agent;

beforeAll(async () => {
  subgraph = await fakeSubgraph();
  agent = createSubgraphAgent({ timeoutMs: 300 });
});

afterEach(() => {
  subgraph.received.length = 0;
  subgraph.respond = (res) => res.end(JSON.stringify({ data: { ok: true } }));
});

afterAll(async () => {
  await agent.close();
  await subgraph.close();
});

/** Answers every request after `ms`, so concurrent calls overlap. */
const slowly = (ms: number, body: unknown) => (res: ServerResponse) => setTimeout(() => res.end(JSON.stringify(body)), ms);

describe('subgraph data source', () => {
  it("sends the headers the subgraph-request hooks set and the router's deadline, and returns the parsed response", async () => {
    const source = dataSource(subgraph.url, { timeoutMs: 300 });
    const before = Date.now();
    const response = await source.process(fetchOf('{ ok }', {}, { correlationId: 'corr-7', subject: 'ana' }));
    expect(response).toEqual({ data: { ok: true } });
    expect(subgraph.received[0]?.headers['x-test-caller']).toBe('ana/corr-7');
    const deadline = Number(subgraph.received[0]?.headers['x-tributary-deadline']);
    expect(deadline).toBeGreaterThanOrEqual(before + 300);
    expect(deadline).toBeLessThan(Date.now() + 300 + 50);
    expect(subgraph.received[0]?.body).toMatchObject({ query: '{ ok }', variables: {} });
  });

  it('shares one call among identical concurrent queries, and gives each caller its own copy', async () => {
    subgraph.respond = slowly(80, { data: { product: { id: 'p1', name: 'Mesa' } } });
    const source = dataSource(subgraph.url);
    const query = 'query($id: ID!) { product(id: $id) { id name } }';
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => source.process(fetchOf(query, { id: 'p1' }, { correlationId: `c${index}` }))));
    expect(subgraph.received).toHaveLength(1);
    expect(source.callCount).toBe(1);
    for (const response of responses) expect(response).toEqual({ data: { product: { id: 'p1', name: 'Mesa' } } });
    // The gateway writes into what it receives: one caller's change must not reach the others.
    (responses[0]!.data as { product: { name: string } }).product.name = 'changed';
    expect((responses[1]!.data as { product: { name: string } }).product.name).toBe('Mesa');
  });

  it('does not share queries with different variables, of different sharing scopes, or calls that do not overlap', async () => {
    subgraph.respond = slowly(50, { data: { ok: true } });
    const source = dataSource(subgraph.url);
    const query = 'query($id: ID!) { product(id: $id) { id } }';
    await Promise.all([
      source.process(fetchOf(query, { id: 'a' })),
      source.process(fetchOf(query, { id: 'b' })),
      source.process(fetchOf(query, { id: 'a' }, { sharing: 'authorization:10' })),
      source.process(fetchOf(query, { id: 'a' }, { sharing: 'authorization:11' })),
    ]);
    await source.process(fetchOf(query, { id: 'a' }));
    expect(subgraph.received).toHaveLength(5);
  });

  it('never shares mutations', async () => {
    subgraph.respond = slowly(50, { data: { addStock: { ok: true } } });
    const source = dataSource(subgraph.url);
    const mutation = 'mutation { addStock { ok } }';
    await Promise.all([source.process(fetchOf(mutation)), source.process(fetchOf(mutation)), source.process(fetchOf(mutation))]);
    expect(subgraph.received).toHaveLength(3);
  });

  it('shares nothing when deduplication is turned off', async () => {
    subgraph.respond = slowly(50, { data: { ok: true } });
    const source = dataSource(subgraph.url, { deduplicateQueries: false });
    await Promise.all([source.process(fetchOf('{ ok }')), source.process(fetchOf('{ ok }'))]);
    expect(subgraph.received).toHaveLength(2);
  });

  it('fails with SUBGRAPH_TIMEOUT when the subgraph does not answer in time', async () => {
    subgraph.respond = () => undefined;
    const source = dataSource(subgraph.url);
    const started = Date.now();
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('turns an HTTP error status into a coded error carrying the status and body', async () => {
    subgraph.respond = (res) => {
      res.statusCode = 503;
      res.end(JSON.stringify({ message: 'draining' }));
    };
    const source = dataSource(subgraph.url);
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_HTTP_ERROR', serviceName: 'inventory', response: { status: 503, body: { message: 'draining' } } },
    });
  });

  it('fails with SUBGRAPH_UNREACHABLE when nothing listens', async () => {
    const source = dataSource('http://127.0.0.1:9/graphql');
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNREACHABLE', serviceName: 'inventory' } });
  });

  it('tells whether a failed mutation may have been applied: unknown after a timeout, not applied when no connection was made', async () => {
    subgraph.respond = () => undefined;
    const mutation = 'mutation { addStock { ok } }';
    await expect(dataSource(subgraph.url).process(fetchOf(mutation))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT', outcome: 'UNKNOWN' } });
    await expect(dataSource('http://127.0.0.1:9/graphql').process(fetchOf(mutation))).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_UNREACHABLE', outcome: 'NOT_APPLIED' },
    });
    // Reads have no outcome to report.
    await expect(dataSource('http://127.0.0.1:9/graphql').process(fetchOf('{ ok }'))).rejects.not.toHaveProperty('extensions.outcome');
  });
});
