import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ReplicaSet } from '../resilience/replica-set.js';

/** ws(s):// URL of a subgraph's graphql-ws endpoint, from its http(s):// URL. */
export function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

export interface UpstreamClientsOptions {
  /** Headers of each upstream socket's upgrade request (the router's signature), asked anew at every connect. */
  readonly connectionHeaders?: (subgraph: string) => Promise<Record<string, string>>;
  readonly keepAliveMs?: number;
  readonly onEvent?: (event: 'connected' | 'closed', subgraph: string) => void;
}

/**
 * One multiplexed graphql-ws connection per subgraph, shared by every upstream subscription. A
 * dropped socket is retried forever with a short backoff, on the next replica the subgraph's
 * replica set picks (failover), and graphql-ws re-sends each open subscription on the new socket
 * (the engine keeps each one's resume position current, so nothing is lost or repeated).
 */
export class UpstreamClients {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: UpstreamClientsOptions = {}) {}

  client(subgraph: string, replicas: ReplicaSet): Client {
    const key = `${subgraph} ${replicas.replicas.map((replica) => replica.url).join(' ')}`;
    let client = this.clients.get(key);
    if (!client) {
      const connectionHeaders = this.options.connectionHeaders;
      // graphql-ws awaits `url()` and then constructs the socket at once: the headers signed in
      // `url()` are the ones the constructor below sends with this very connection attempt.
      let headers: Record<string, string> = {};
      class SignedWebSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
      client = createClient({
        url: async () => {
          headers = connectionHeaders ? await connectionHeaders(subgraph) : {};
          return toWebSocketUrl(replicas.pick().url);
        },
        webSocketImpl: SignedWebSocket,
        lazy: true,
        lazyCloseTimeout: 1000,
        keepAlive: this.options.keepAliveMs ?? 10_000,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** retries, 1000))),
        on: {
          connected: () => this.options.onEvent?.('connected', subgraph),
          closed: () => this.options.onEvent?.('closed', subgraph),
        },
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Drops every socket; graphql-ws reconnects them on their next use (tests, reloads). */
  async terminateAll(): Promise<void> {
    for (const client of this.clients.values()) client.terminate();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(async (client) => client.dispose()));
    this.clients.clear();
  }
}
