import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { SubgraphPolicy } from './subgraph-policy.js';

/** A subgraph failure that says the subgraph (not the request) is in trouble. */
export type FailureTest = (error: Error) => boolean;

/** One URL of a subgraph, with its own circuit breaker and last probe result. */
export interface Replica {
  readonly url: string;
  readonly breaker: CircuitBreakerPolicy;
  /** The last health probe's verdict (true until the first probe says otherwise). */
  healthy: boolean;
  lastError: string | undefined;
}

/** What a replica's state looks like from outside (readiness, metrics). */
export interface ReplicaState {
  readonly url: string;
  readonly circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  readonly healthy: boolean;
  readonly error?: string;
}

const CIRCUIT_NAMES: Record<CircuitState, ReplicaState['circuit']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The replicas of one subgraph, balanced round-robin over those whose circuit is not open and
 * whose last probe passed; when none passes, the ones whose circuit lets a call through.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  private next = 0;

  constructor(
    readonly subgraph: string,
    urls: readonly string[],
    policy: SubgraphPolicy,
    isFailure: FailureTest,
    onStateChange: (replica: Replica, state: ReplicaState['circuit']) => void = () => undefined,
  ) {
    if (urls.length === 0) throw new Error(`subgraph ${subgraph} has no routing URL`);
    this.replicas = urls.map((url) => {
      const breaker = circuitBreaker(handleWhen(isFailure), {
        halfOpenAfter: policy.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(policy.breakerFailures),
      });
      const replica: Replica = { url, breaker, healthy: true, lastError: undefined };
      breaker.onStateChange((state) => onStateChange(replica, CIRCUIT_NAMES[state]));
      onStateChange(replica, 'closed');
      return replica;
    });
  }

  /** The replica for the next call, skipping those already tried by this call when others are left. */
  pick(tried: ReadonlySet<Replica> = new Set()): Replica {
    const count = this.replicas.length;
    const usable = (replica: Replica, needHealthy: boolean) =>
      replica.breaker.state !== CircuitState.Open && replica.breaker.state !== CircuitState.Isolated && (!needHealthy || replica.healthy);
    for (const needHealthy of [true, false]) {
      for (let offset = 0; offset < count; offset += 1) {
        const replica = this.replicas[(this.next + offset) % count]!;
        if (tried.has(replica) || !usable(replica, needHealthy)) continue;
        this.next = (this.next + offset + 1) % count;
        return replica;
      }
    }
    // Every circuit is open (or every usable replica was tried): go through one anyway, its
    // breaker then fails fast with its own error.
    const fallback = this.replicas.find((replica) => !tried.has(replica)) ?? this.replicas[this.next % count]!;
    this.next = (this.next + 1) % count;
    return fallback;
  }

  states(): ReplicaState[] {
    return this.replicas.map((replica) => ({
      url: replica.url,
      circuit: CIRCUIT_NAMES[replica.breaker.state],
      healthy: replica.healthy,
      ...(replica.lastError ? { error: replica.lastError } : {}),
    }));
  }

  /** True when some replica can take calls. */
  get available(): boolean {
    return this.replicas.some((replica) => replica.healthy && replica.breaker.state !== CircuitState.Open && replica.breaker.state !== CircuitState.Isolated);
  }
}
