import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, fetch as undiciFetch } from 'undici';
import type { RouterContext } from '../server/router-context.js';

/** The fetch function shape RemoteGraphQLDataSource calls. */
type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Headers the router sets on every subgraph call (mirrors subgraphs/shared/server/request-context). */
export const CORRELATION_HEADER = 'x-correlation-id';
export const ACTOR_HEADER = 'x-actor';

export interface SubgraphHttpOptions {
  /** Abort a subgraph call after this long. */
  readonly timeoutMs?: number;
  /** Keep-alive connections per subgraph origin. */
  readonly connections?: number;
}

/** One keep-alive connection pool shared by all subgraph calls of a router. */
export function createSubgraphAgent(options: SubgraphHttpOptions = {}): Agent {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: options.connections ?? 128, pipelining: 1 });
}

/**
 * undici's fetch over the shared agent, with a per-call timeout, in the Fetcher shape the gateway
 * expects.
 */
export function createSubgraphFetcher(agent: Agent, options: SubgraphHttpOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return ((url: string, init?: Record<string, unknown>) =>
    undiciFetch(url, {
      ...(init as object),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    })) as unknown as Fetcher;
}

/**
 * The gateway's remote data source, forwarding the correlation id and the authenticated actor on
 * every fetch (queries, mutations and the per-event entity fetches of subscriptions).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext & Record<string, unknown>> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext & Record<string, unknown>>): void {
    const context = options.context as Partial<RouterContext> | undefined;
    const headers = options.request.http?.headers;
    if (!headers || !context) return;
    if (context.correlationId) headers.set(CORRELATION_HEADER, context.correlationId);
    if (context.actor) headers.set(ACTOR_HEADER, context.actor);
  }
}
