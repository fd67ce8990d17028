import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, OperationTypeNode, type DocumentNode } from 'graphql';
import { Agent, errors as undiciErrors, request } from 'undici';
import type { RouterContext } from '../server/router-context.js';

/** Headers the router sets on every subgraph call (mirrors subgraphs/shared/server/request-context). */
export const CORRELATION_HEADER = 'x-correlation-id';
export const ACTOR_HEADER = 'x-actor';

export interface SubgraphHttpOptions {
  /** Abort a subgraph call when its response headers or body stall this long. */
  readonly timeoutMs?: number;
  /** Keep-alive connections per subgraph origin. */
  readonly connections?: number;
  /**
   * Identical queries in flight to the same subgraph at the same time share one call (same text,
   * variables and actor). Mutations are never shared. On by default.
   */
  readonly deduplicateQueries?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One keep-alive connection pool shared by all subgraph calls of a router. The timeouts live on
 * the agent, so a call costs no timer or AbortSignal of its own.
 */
export function createSubgraphAgent(options: SubgraphHttpOptions = {}): Agent {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: options.connections ?? 128,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

type ProcessOptions = GraphQLDataSourceProcessOptions<RouterContext & Record<string, unknown>>;

function isQuery(document: DocumentNode | undefined, text: string | undefined): boolean {
  const operation = document?.definitions[0];
  if (operation?.kind === 'OperationDefinition') return operation.operation === OperationTypeNode.QUERY;
  // Without a document, only the query shorthand and `query` texts are known to be reads.
  const start = text?.trimStart() ?? '';
  return start.startsWith('{') || start.startsWith('query');
}

function httpError(status: number, body: string, url: string): GraphQLError {
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: keep the text.
  }
  const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'SUBGRAPH_HTTP_ERROR';
  return new GraphQLError(`subgraph answered HTTP ${status}`, { extensions: { code, response: { url, status, body: parsed } } });
}

function transportError(error: unknown, url: string): GraphQLError {
  const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
  const message = error instanceof Error ? error.message : String(error);
  return new GraphQLError(timedOut ? `subgraph did not answer in time: ${message}` : `subgraph unreachable: ${message}`, {
    extensions: { code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNREACHABLE', url },
  });
}

/**
 * The gateway's data source for one subgraph: a JSON POST through undici's `request()` on the
 * shared keep-alive agent, with the correlation id and the authenticated actor on every call
 * (queries, mutations and the per-event entity fetches of subscriptions). It skips what the
 * generic RemoteGraphQLDataSource builds per call (fetch Request/Response objects, web streams, a
 * timeout signal), and shares identical concurrent queries.
 */
export class SubgraphDataSource implements GraphQLDataSource<RouterContext & Record<string, unknown>> {
  private readonly inFlight = new Map<string, { sharers: number; readonly call: Promise<GatewayGraphQLResponse> }>();
  private readonly deduplicate: boolean;
  private calls = 0;

  constructor(
    readonly url: string,
    private readonly agent: Agent,
    options: SubgraphHttpOptions = {},
  ) {
    this.deduplicate = options.deduplicateQueries ?? true;
  }

  /** HTTP calls made to the subgraph so far (metrics, tests). */
  get callCount(): number {
    return this.calls;
  }

  process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request: operation } = options;
    const context = options.context as Partial<RouterContext> | undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (operation.http) for (const [name, value] of operation.http.headers) headers[name] = value;
    if (context?.correlationId) headers[CORRELATION_HEADER] = context.correlationId;
    if (context?.actor) headers[ACTOR_HEADER] = context.actor;
    const body = JSON.stringify({
      query: operation.query,
      variables: operation.variables,
      operationName: operation.operationName,
      ...(operation.extensions ? { extensions: operation.extensions } : {}),
    });
    // Only operations of clients (not health checks or schema loads) carry the planned document.
    const shareable = this.deduplicate && 'incomingRequestContext' in options && isQuery(options.document, operation.query);
    if (!shareable) return this.post(headers, body);
    // The actor is part of the key: a subgraph may answer differently per caller.
    const key = `${context?.actor ?? ''}\u0000${headers['apollo-federation-include-trace'] ?? ''}\u0000${body}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.sharers += 1;
      return pending.call.then(copyResponse);
    }
    const shared = { sharers: 0, call: this.post(headers, body).finally(() => this.inFlight.delete(key)) };
    this.inFlight.set(key, shared);
    // The gateway merges entities into what it receives, so once a call is shared every caller
    // gets its own copy. Callers join only while the call is in the map, which it leaves before
    // this continuation runs, so the count is final here.
    return shared.call.then((response) => (shared.sharers === 0 ? response : copyResponse(response)));
  }

  private async post(headers: Record<string, string>, body: string): Promise<GatewayGraphQLResponse> {
    this.calls += 1;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(this.url, { method: 'POST', headers, body, dispatcher: this.agent });
    } catch (error) {
      throw transportError(error, this.url);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, this.url);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) throw httpError(response.statusCode, text, this.url);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GraphQLError('subgraph answered with a body that is not JSON', { extensions: { code: 'SUBGRAPH_BAD_RESPONSE', url: this.url } });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new GraphQLError('subgraph answered with JSON that is not a GraphQL response', { extensions: { code: 'SUBGRAPH_BAD_RESPONSE', url: this.url } });
    }
    return parsed as GatewayGraphQLResponse;
  }
}

/** A deep copy of JSON-shaped data: about 8× faster than structuredClone on a 20-product response (34 vs 280 µs). */
function copyResponse(response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return copyJson(response) as GatewayGraphQLResponse;
}

function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = copyJson((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}
