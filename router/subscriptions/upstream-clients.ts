import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** ws(s):// URL of a subgraph's graphql-ws endpoint, from its http(s):// URL. */
export function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/**
 * One multiplexed graphql-ws connection per subgraph, shared by every upstream subscription. A
 * dropped socket is retried forever with a short backoff, and graphql-ws re-sends each open
 * subscription on the new socket (the engine keeps each one's resume position current).
 */
export class UpstreamClients {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: { keepAliveMs?: number; onEvent?: (event: 'connected' | 'closed', url: string) => void } = {}) {}

  client(httpUrl: string): Client {
    const url = toWebSocketUrl(httpUrl);
    let client = this.clients.get(url);
    if (!client) {
      client = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1000,
        keepAlive: this.options.keepAliveMs ?? 10_000,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** retries, 1000))),
        on: {
          connected: () => this.options.onEvent?.('connected', url),
          closed: () => this.options.onEvent?.('closed', url),
        },
      });
      this.clients.set(url, client);
    }
    return client;
  }

  /** Drops every socket; graphql-ws reconnects them on their next use (tests, reloads). */
  async terminateAll(): Promise<void> {
    for (const client of this.clients.values()) client.terminate();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.dispose()));
    this.clients.clear();
  }
}
