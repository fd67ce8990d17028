import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import type { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphDataSource, createSubgraphAgent } from '../../router/gateway/subgraph-data-source.js';

/** A stand-in subgraph over real HTTP that records what it receives and answers as told. */
interface FakeSubgraph {
  readonly url: string;
  readonly received: Array<{ headers: IncomingMessage['headers']; body: { query: string; variables?: unknown } }>;
  respond: (res: ServerResponse) => void;
  close(): Promise<void>;
}

async function fakeSubgraph(): Promise<FakeSubgraph> {
  const sockets = new Set<import('node:net').Socket>();
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

/** What the gateway passes for one fetch of a client operation. */
function fetchOf(query: string, variables: Record<string, unknown> = {}, context: Record<string, unknown> = {}): Options {
  return {
    kind: 'incoming operation',
    request: { query, variables, http: { method: 'POST', url: '', headers: new Headers() } },
    incomingRequestContext: {},
    context,
    document: parse(query),
  } as unknown as Options;
}

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
  it('forwards the correlation id and the actor, and returns the parsed response', async () => {
    const source = new SubgraphDataSource(subgraph.url, agent);
    const response = await source.process(fetchOf('{ ok }', {}, { correlationId: 'corr-7', actor: 'ana' }));
    expect(response).toEqual({ data: { ok: true } });
    expect(subgraph.received[0]?.headers['x-correlation-id']).toBe('corr-7');
    expect(subgraph.received[0]?.headers['x-actor']).toBe('ana');
    expect(subgraph.received[0]?.body).toMatchObject({ query: '{ ok }', variables: {} });
  });

  it('shares one call among identical concurrent queries, and gives each caller its own copy', async () => {
    subgraph.respond = slowly(80, { data: { product: { id: 'p1', name: 'Mesa' } } });
    const source = new SubgraphDataSource(subgraph.url, agent);
    const query = 'query($id: ID!) { product(id: $id) { id name } }';
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => source.process(fetchOf(query, { id: 'p1' }, { correlationId: `c${index}` }))));
    expect(subgraph.received).toHaveLength(1);
    expect(source.callCount).toBe(1);
    for (const response of responses) expect(response).toEqual({ data: { product: { id: 'p1', name: 'Mesa' } } });
    // The gateway writes into what it receives: one caller's change must not reach the others.
    (responses[0]!.data as { product: { name: string } }).product.name = 'changed';
    expect((responses[1]!.data as { product: { name: string } }).product.name).toBe('Mesa');
  });

  it('does not share queries with different variables, queries of different actors, or calls that do not overlap', async () => {
    subgraph.respond = slowly(50, { data: { ok: true } });
    const source = new SubgraphDataSource(subgraph.url, agent);
    const query = 'query($id: ID!) { product(id: $id) { id } }';
    await Promise.all([
      source.process(fetchOf(query, { id: 'a' })),
      source.process(fetchOf(query, { id: 'b' })),
      source.process(fetchOf(query, { id: 'a' }, { actor: 'ana' })),
      source.process(fetchOf(query, { id: 'a' }, { actor: 'luis' })),
    ]);
    await source.process(fetchOf(query, { id: 'a' }));
    expect(subgraph.received).toHaveLength(5);
  });

  it('never shares mutations', async () => {
    subgraph.respond = slowly(50, { data: { addStock: { ok: true } } });
    const source = new SubgraphDataSource(subgraph.url, agent);
    const mutation = 'mutation { addStock { ok } }';
    await Promise.all([source.process(fetchOf(mutation)), source.process(fetchOf(mutation)), source.process(fetchOf(mutation))]);
    expect(subgraph.received).toHaveLength(3);
  });

  it('shares nothing when deduplication is turned off', async () => {
    subgraph.respond = slowly(50, { data: { ok: true } });
    const source = new SubgraphDataSource(subgraph.url, agent, { deduplicateQueries: false });
    await Promise.all([source.process(fetchOf('{ ok }')), source.process(fetchOf('{ ok }'))]);
    expect(subgraph.received).toHaveLength(2);
  });

  it('fails with SUBGRAPH_TIMEOUT when the subgraph does not answer in time', async () => {
    subgraph.respond = () => undefined;
    const source = new SubgraphDataSource(subgraph.url, agent);
    const started = Date.now();
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('turns an HTTP error status into a coded error carrying the status and body', async () => {
    subgraph.respond = (res) => {
      res.statusCode = 503;
      res.end(JSON.stringify({ message: 'draining' }));
    };
    const source = new SubgraphDataSource(subgraph.url, agent);
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_HTTP_ERROR', response: { status: 503, body: { message: 'draining' } } },
    });
  });

  it('fails with SUBGRAPH_UNREACHABLE when nothing listens', async () => {
    const source = new SubgraphDataSource('http://127.0.0.1:9/graphql', agent);
    await expect(source.process(fetchOf('{ ok }'))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNREACHABLE' } });
  });
});
