import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { BrokenCircuitError, BulkheadRejectedError, ExponentialBackoff, bulkhead, handleWhen, retry, type BulkheadPolicy, type RetryPolicy } from 'cockatiel';
import { Agent, errors as undiciErrors, request } from 'undici';
import type { ResponseSizeGuard } from '../demand-control/response-size.js';
import { injectTraceContext } from '../../common/telemetry/tracing.js';
import { DEADLINE_HEADER } from '../../common/trust/headers.js';
import { runOf } from '../execution/operation-run.js';
import type { HookRunner } from '../plugins/hook-runner.js';
import { postTargetOf, postToSubgraph, type PostTarget, type PostedResponse } from './subgraph-post.js';
import { ReplicaSet, type Replica, type ReplicaState } from '../resilience/replica-set.js';
import { DEFAULT_SUBGRAPH_POLICY, type SubgraphPolicy } from '../resilience/subgraph-policy.js';

export interface SubgraphHttpOptions {
  /** Default timeout of a subgraph call (see SubgraphPolicy.timeoutMs). */
  readonly timeoutMs?: number;
  /** Keep-alive connections per subgraph origin. */
  readonly connections?: number;
  /**
   * Identical queries in flight to the same subgraph at the same time share one call (same text,
   * variables and sharing scope, which authorization sets). Mutations are never shared. On by default.
   */
  readonly deduplicateQueries?: boolean;
}

/** What happened to one subgraph call, for metrics. */
export type FetchOutcome = 'ok' | 'timeout' | 'unreachable' | 'http_error' | 'bad_response' | 'circuit_open' | 'overloaded';

/** Receives what the data sources do (the router's metrics). */
export interface SubgraphObserver {
  fetched(subgraph: string, outcome: FetchOutcome, seconds: number): void;
  circuitChanged(subgraph: string, url: string, state: ReplicaState['circuit']): void;
  retried(subgraph: string): void;
}

export const DEFAULT_TIMEOUT_MS = DEFAULT_SUBGRAPH_POLICY.timeoutMs;

/**
 * One keep-alive connection pool shared by all subgraph calls of a router. Timeouts are set per
 * call, from each subgraph's policy.
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

type ProcessOptions = GraphQLDataSourceProcessOptions<Record<string, unknown>>;

function isQuery(document: DocumentNode | undefined, text: string | undefined): boolean {
  const operation = document?.definitions[0];
  if (operation?.kind === Kind.OPERATION_DEFINITION) return operation.operation === OperationTypeNode.QUERY;
  // Without a document, only the query shorthand and `query` texts are known to be reads.
  const start = text?.trimStart() ?? '';
  return start.startsWith('{') || start.startsWith('query');
}

const isFailureOfSubgraph = (error: Error): boolean => {
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  if (extensions.code === 'SUBGRAPH_TIMEOUT' || extensions.code === 'SUBGRAPH_UNREACHABLE' || extensions.code === 'SUBGRAPH_BAD_RESPONSE') return true;
  const status = (extensions.response as { status?: number } | undefined)?.status;
  return extensions.code === 'SUBGRAPH_HTTP_ERROR' && status !== undefined && status >= 500;
};

/** A failed query may be tried again (on another replica): the subgraph failed, not the request. */
const queryMayRetry = (error: Error): boolean => {
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  if (extensions.code === 'SUBGRAPH_CIRCUIT_OPEN' || extensions.code === 'SUBGRAPH_TIMEOUT' || extensions.code === 'SUBGRAPH_UNREACHABLE') return true;
  const status = (extensions.response as { status?: number } | undefined)?.status;
  return extensions.code === 'SUBGRAPH_HTTP_ERROR' && (status === 502 || status === 503 || status === 504);
};

/** A failed mutation is tried again only when it provably never reached a subgraph. */
const mutationMayRetry = (error: Error): boolean => error instanceof GraphQLError && error.extensions.outcome === 'NOT_APPLIED';

/**
 * The gateway's data source for one subgraph: a JSON POST through undici's `request()` on the
 * shared keep-alive agent, with the headers the plugins' `onSubgraphRequest` hooks set (the
 * router's signature among them) and the router's deadline. Calls go through the subgraph's
 * policy: a bulkhead, retries with jittered backoff (queries; mutations only when never sent),
 * and a circuit breaker per replica, replicas balanced round-robin. Identical concurrent queries
 * share one call.
 */
export class SubgraphDataSource implements GraphQLDataSource<Record<string, unknown>> {
  private readonly inFlight = new Map<string, { sharers: number; readonly call: Promise<GatewayGraphQLResponse> }>();
  private readonly deduplicate: boolean;
  private readonly bulkhead: BulkheadPolicy;
  private readonly queryRetry: RetryPolicy;
  private readonly mutationRetry: RetryPolicy;
  readonly replicas: ReplicaSet;
  private readonly targets = new Map<string, PostTarget>();
  private calls = 0;

  constructor(
    readonly name: string,
    urls: readonly string[],
    private readonly agent: Agent,
    private readonly hooks: HookRunner,
    private readonly policy: SubgraphPolicy = DEFAULT_SUBGRAPH_POLICY,
    options: SubgraphHttpOptions = {},
    private readonly observer?: SubgraphObserver,
  ) {
    this.deduplicate = options.deduplicateQueries ?? true;
    this.replicas = new ReplicaSet(name, urls, policy, isFailureOfSubgraph, (replica, state) => observer?.circuitChanged(name, replica.url, state));
    this.bulkhead = bulkhead(policy.maxConcurrent, policy.maxQueued);
    const backoff = new ExponentialBackoff({ initialDelay: policy.retryDelayMs, maxDelay: policy.maxRetryDelayMs });
    this.queryRetry = retry(handleWhen(queryMayRetry), { maxAttempts: policy.retries, backoff });
    this.mutationRetry = retry(handleWhen(mutationMayRetry), { maxAttempts: policy.retries, backoff });
    this.queryRetry.onRetry(() => observer?.retried(name));
    this.mutationRetry.onRetry(() => observer?.retried(name));
  }

  /** The first replica's URL. */
  get url(): string {
    return this.replicas.replicas[0]!.url;
  }

  /** HTTP calls made to the subgraph so far (metrics, tests). */
  get callCount(): number {
    return this.calls;
  }

  async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request: operation } = options;
    const run = 'incomingRequestContext' in options ? runOf(options.incomingRequestContext) : undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (operation.http) for (const [name, value] of operation.http.headers) headers[name] = value;
    await this.hooks.subgraphHeaders(run?.context, run?.operation, this.name, 'fetch', headers);
    injectTraceContext(headers);
    const body = JSON.stringify({
      query: operation.query,
      variables: operation.variables,
      operationName: operation.operationName,
      ...(operation.extensions ? { extensions: operation.extensions } : {}),
    });
    // Only operations of clients (not the router's own probes) are shared.
    const document = 'document' in options ? options.document : undefined;
    const read = isQuery(document, operation.query);
    const shareable = this.deduplicate && run !== undefined && read;
    if (!shareable) return this.post(headers, body, read, run?.responseGuard);
    const key = `${run.sharing}\u0000${headers['apollo-federation-include-trace'] ?? ''}\u0000${body}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.sharers += 1;
      return pending.call.then(copyResponse);
    }
    // A shared call counts against no one caller's response budget (each caller's result is
    // measured when built), and carries the trace of the caller who started it.
    const shared = { sharers: 0, call: this.post(headers, body, true, undefined).finally(() => this.inFlight.delete(key)) };
    this.inFlight.set(key, shared);
    // The gateway merges entities into what it receives, so once a call is shared every caller
    // gets its own copy. Callers join only while the call is in the map, which it leaves before
    // this continuation runs, so the count is final here.
    return shared.call.then((response) => (shared.sharers === 0 ? response : copyResponse(response)));
  }

  /** Probes every replica with a signed `{ __typename }` and records which answer in time. */
  async probe(timeoutMs = 2000): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    await this.hooks.subgraphHeaders(undefined, undefined, this.name, 'fetch', headers);
    await Promise.all(
      this.replicas.replicas.map(async (replica) => {
        try {
          const response = await request(replica.url, {
            method: 'POST',
            headers,
            body: JSON.stringify({ query: '{ __typename }' }),
            dispatcher: this.agent,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.body.dump();
          replica.healthy = response.statusCode === 200;
          replica.lastError = replica.healthy ? undefined : `HTTP ${response.statusCode}`;
        } catch (error) {
          replica.healthy = false;
          replica.lastError = error instanceof Error ? error.message : String(error);
        }
      }),
    );
  }

  private post(headers: Record<string, string>, body: string, read: boolean, guard: ResponseSizeGuard | undefined): Promise<GatewayGraphQLResponse> {
    const tried = new Set<Replica>();
    const started = performance.now();
    // What the subgraph itself answered last: more telling than the open circuit it may have caused.
    let lastFailure: Error | undefined;
    const attempt = () => {
      const replica = this.replicas.pick(tried);
      tried.add(replica);
      return replica.breaker
        .execute(() => this.postTo(replica.url, headers, body, read, guard))
        .catch((error: unknown) => {
          // An open circuit: nothing was sent, so even a mutation may go to another replica.
          if (error instanceof BrokenCircuitError)
            throw this.coded('SUBGRAPH_CIRCUIT_OPEN', `subgraph ${this.name} is failing; its circuit is open`, { outcome: 'NOT_APPLIED' });
          if (error instanceof Error) lastFailure = error;
          throw error;
        });
    };
    const call = this.bulkhead
      .execute(() => (read ? this.queryRetry : this.mutationRetry).execute(attempt))
      .catch((error: unknown) => {
        if (error instanceof BulkheadRejectedError) {
          throw this.coded('SUBGRAPH_OVERLOADED', `subgraph ${this.name} has too many calls waiting`, read ? {} : { outcome: 'NOT_APPLIED' });
        }
        if (lastFailure !== undefined && error instanceof GraphQLError && error.extensions.code === 'SUBGRAPH_CIRCUIT_OPEN') throw lastFailure;
        throw error;
      });
    if (!this.observer) return call;
    return call.then(
      (response) => {
        this.observer!.fetched(this.name, 'ok', (performance.now() - started) / 1000);
        return response;
      },
      (error: unknown) => {
        this.observer!.fetched(this.name, outcomeOf(error), (performance.now() - started) / 1000);
        throw error;
      },
    );
  }

  private async postTo(
    url: string,
    headers: Record<string, string>,
    body: string,
    read: boolean,
    guard: ResponseSizeGuard | undefined,
  ): Promise<GatewayGraphQLResponse> {
    this.calls += 1;
    const { timeoutMs } = this.policy;
    // The subgraph does not start, and does not commit, work the router will no longer wait for.
    const sent = { ...headers, [DEADLINE_HEADER]: String(Date.now() + timeoutMs) };
    let response: PostedResponse;
    try {
      response = await postToSubgraph(this.agent, this.targetOf(url), { headers: sent, body, timeoutMs, guard });
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw this.transportError(error, read);
    }
    const { statusCode, text } = response;
    if (statusCode < 200 || statusCode >= 300) throw this.httpError(statusCode, text, read);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.coded('SUBGRAPH_BAD_RESPONSE', `subgraph ${this.name} answered with a body that is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw this.coded('SUBGRAPH_BAD_RESPONSE', `subgraph ${this.name} answered with JSON that is not a GraphQL response`);
    }
    return parsed;
  }

  private targetOf(url: string): PostTarget {
    let target = this.targets.get(url);
    if (!target) {
      target = postTargetOf(url);
      this.targets.set(url, target);
    }
    return target;
  }

  private coded(code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
    return new GraphQLError(message, { extensions: { code, serviceName: this.name, ...extra } });
  }

  private httpError(status: number, body: string, read: boolean): GraphQLError {
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // Not JSON: keep the text.
    }
    // A refusal before the operation ran (the router's signature) leaves nothing applied.
    const outcome = read ? {} : { outcome: status === 401 || status === 413 || status === 415 ? 'NOT_APPLIED' : 'UNKNOWN' };
    return this.coded('SUBGRAPH_HTTP_ERROR', `subgraph ${this.name} answered HTTP ${status}`, { response: { status, body: parsed }, ...outcome });
  }

  private transportError(error: unknown, read: boolean): GraphQLError {
    const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
    const message = error instanceof Error ? error.message : String(error);
    // A mutation the subgraph may have received may have committed: only a connection that was
    // never made proves it was not applied. Retrying with the same idempotencyKey is always safe.
    const outcome = read ? {} : { outcome: neverSent(error) ? 'NOT_APPLIED' : 'UNKNOWN' };
    return timedOut
      ? this.coded('SUBGRAPH_TIMEOUT', `subgraph ${this.name} did not answer in time: ${message}`, outcome)
      : this.coded('SUBGRAPH_UNREACHABLE', `subgraph ${this.name} unreachable: ${message}`, outcome);
  }
}

const OUTCOMES: Record<string, FetchOutcome> = {
  SUBGRAPH_TIMEOUT: 'timeout',
  SUBGRAPH_UNREACHABLE: 'unreachable',
  SUBGRAPH_HTTP_ERROR: 'http_error',
  SUBGRAPH_BAD_RESPONSE: 'bad_response',
  SUBGRAPH_CIRCUIT_OPEN: 'circuit_open',
  SUBGRAPH_OVERLOADED: 'overloaded',
};

function outcomeOf(error: unknown): FetchOutcome {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return (typeof code === 'string' ? OUTCOMES[code] : undefined) ?? 'unreachable';
}

/** True when the request cannot have reached the subgraph: the connection itself failed. */
function neverSent(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code ?? (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'EHOSTUNREACH';
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
