import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the proxy treats the next requests. */
export type ProxyMode = 'pass' | 'hang' | 'fail-500';

/**
 * An HTTP proxy in front of a real subgraph that can be made to hang or to answer 500, for
 * resilience tests: what a subgraph in trouble looks like from the router.
 */
export interface FaultyProxy {
  readonly url: string;
  mode: ProxyMode;
  /** Requests that reached the proxy, whatever it did with them. */
  requests(): number;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const destination = new URL(target);
  let count = 0;
  const sockets = new Set<Socket>();
  const proxy: FaultyProxy = {
    url: '',
    mode: 'pass',
    requests: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    count += 1;
    if (proxy.mode === 'hang') {
      req.resume();
      return;
    }
    if (proxy.mode === 'fail-500') {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain' }).end('subgraph failing');
      return;
    }
    const forwarded = httpRequest(
      { host: destination.hostname, port: destination.port, path: destination.pathname, method: req.method, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${destination.pathname}`;
  return proxy;
}
