/**
 * A memoizing HTTP proxy in front of a subgraph: the first request with a given body is forwarded
 * and its response kept; later requests with the same body are answered from memory. Put in front
 * of the real subgraphs, it takes the subgraphs' own cost out of a gateway benchmark, so that the
 * gateway becomes the bottleneck and gateways can be compared on their own overhead.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MemoProxy {
  readonly url: string;
  /** Requests forwarded to the real subgraph (distinct bodies seen). */
  readonly forwarded: () => number;
  readonly served: () => number;
  close(): Promise<void>;
}

export async function startMemoProxy(target: string): Promise<MemoProxy> {
  const memo = new Map<string, { status: number; contentType: string; body: Buffer }>();
  let forwarded = 0;
  let served = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let hit = memo.get(body);
        if (!hit) {
          forwarded += 1;
          // The first caller's signature goes along: the subgraph refuses unsigned calls.
          const authorization = req.headers.authorization;
          const response = await fetch(target, {
            method: req.method ?? 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body,
          });
          hit = {
            status: response.status,
            contentType: response.headers.get('content-type') ?? 'application/json',
            body: Buffer.from(await response.arrayBuffer()),
          };
          memo.set(body, hit);
        }
        served += 1;
        res.writeHead(hit.status, { 'content-type': hit.contentType, 'content-length': hit.body.length });
        res.end(hit.body);
      })().catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    forwarded: () => forwarded,
    served: () => served,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
