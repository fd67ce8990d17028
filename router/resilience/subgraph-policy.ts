/** How the router calls one subgraph: its timeout, retries, circuit breaker and bulkhead. */
export interface SubgraphPolicy {
  /** A call whose response headers or body stall this long fails with SUBGRAPH_TIMEOUT. */
  readonly timeoutMs: number;
  /**
   * Attempts after the first. Queries are retried on transport failures and 502/503/504; a
   * mutation only when it provably never reached a subgraph (the connection failed).
   */
  readonly retries: number;
  /** First retry delay; each next one grows exponentially, with jitter, up to `maxRetryDelayMs`. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Consecutive failures (transport errors, 5xx) of one replica that open its circuit. */
  readonly breakerFailures: number;
  /** How long an open circuit fails fast before one probe call is let through (half-open). */
  readonly breakerHalfOpenAfterMs: number;
  /** Calls in flight to the subgraph at most; more wait in a queue of `maxQueued`, beyond it they fail at once. */
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  /** How often each replica is probed with a signed `{ __typename }` (0: never). */
  readonly healthIntervalMs: number;
}

export const DEFAULT_SUBGRAPH_POLICY: SubgraphPolicy = {
  timeoutMs: 30_000,
  retries: 2,
  retryDelayMs: 25,
  maxRetryDelayMs: 500,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 5_000,
  maxConcurrent: 256,
  maxQueued: 2_048,
  healthIntervalMs: 5_000,
};

/** The policy of each subgraph: the defaults, changed by what is given for all and for one. */
export type SubgraphPolicies = (subgraph: string) => SubgraphPolicy;

export function subgraphPolicies(defaults: Partial<SubgraphPolicy> = {}, bySubgraph: Readonly<Record<string, Partial<SubgraphPolicy>>> = {}): SubgraphPolicies {
  return (subgraph) => ({ ...DEFAULT_SUBGRAPH_POLICY, ...defaults, ...bySubgraph[subgraph] });
}
