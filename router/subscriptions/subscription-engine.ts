import { createHash } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { canonicalJson } from '../../common/json/canonical-json.js';
import type { SubgraphServices } from '../gateway/subgraph-services.js';
import type { HookRunner } from '../plugins/hook-runner.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { EngineUpstream, type PreparedSubscription, type UpstreamHost } from './engine-upstream.js';
import { SharedSubscription } from './shared-subscription.js';
import type { UpstreamClients } from './upstream-clients.js';

export type { PreparedSubscription } from './engine-upstream.js';

/** Counters the engine keeps (also exported as metrics). */
export interface SubscriptionStats {
  /** Client subscriptions currently open. */
  clients: number;
  /** Upstream subscriptions currently open. */
  upstreams: number;
  /** Upstream subscriptions started since boot. */
  upstreamsStarted: number;
  /** Events enriched (rest of the plan run) since boot. */
  enrichments: number;
  /** Results handed to client subscriptions since boot. */
  delivered: number;
  /** Client subscriptions ended for falling too far behind, since boot. */
  slowConsumers: number;
  /** Client subscriptions open, by subscription field. */
  byField: Map<string, number>;
}

/**
 * Federated subscriptions: runs the primary fetch of each planned subscription as a graphql-ws
 * subscription to the owning subgraph, and for every event runs the rest of the plan through the
 * gateway's executor. Identical subscriptions (operation and its rewrites, variables, sharing
 * scope) share one upstream and one enrichment per event.
 */
export class SubscriptionEngine {
  private supergraph: LoadedSupergraph;
  private readonly shared = new Map<string, SharedSubscription>();
  private readonly counters: SubscriptionStats = {
    clients: 0,
    upstreams: 0,
    upstreamsStarted: 0,
    enrichments: 0,
    delivered: 0,
    slowConsumers: 0,
    byField: new Map(),
  };
  /** What every upstream of this engine shares: one object, not closures per upstream. */
  private readonly host: UpstreamHost;

  constructor(
    initial: LoadedSupergraph,
    private readonly services: SubgraphServices,
    private readonly clients: UpstreamClients,
    private readonly hooks: HookRunner,
    private readonly logger: Logger,
  ) {
    this.supergraph = initial;
    this.host = { counters: this.counters, shared: this.shared, services, hooks, logger };
  }

  stats(): Readonly<SubscriptionStats> {
    return { ...this.counters, upstreams: this.shared.size, byField: new Map(this.counters.byField) };
  }

  /** New supergraph: open subscriptions end with SUPERGRAPH_RELOADED so clients resubscribe. */
  reload(next: LoadedSupergraph): void {
    this.supergraph = next;
    const notice = {
      errors: [
        new GraphQLError('the supergraph was reloaded; subscribe again (resume with your last position)', {
          extensions: { code: 'SUPERGRAPH_RELOADED' },
        }),
      ],
    };
    for (const subscription of [...this.shared.values()]) subscription.terminate(notice);
  }

  /** Starts (or joins) the shared upstream of a subscription; `onFallBehind` is told if the client falls too far behind. */
  async subscribe(prepared: PreparedSubscription, onFallBehind?: () => void): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const key = createHash('sha256')
      .update(prepared.operation.source)
      .update('\u0000')
      .update(prepared.operationName ?? '')
      .update('\u0000')
      .update(prepared.variant)
      .update('\u0000')
      .update(canonicalJson(prepared.variables))
      .update('\u0000')
      .update(prepared.sharing)
      .digest('hex');
    let subscription = this.shared.get(key);
    if (!subscription) {
      const serviceName = prepared.planned.primary.serviceName;
      const service = this.supergraph.services.find((candidate) => candidate.name === serviceName);
      if (!service) return { errors: [new GraphQLError(`subgraph ${serviceName} is unknown`)] };
      const client = this.clients.client(service.name, this.services.dataSource(service.name).replicas);
      subscription = new SharedSubscription(new EngineUpstream(this.host, key, prepared, this.supergraph, client));
      this.shared.set(key, subscription);
    }
    // The client's queue is its iterator: the subscription it joined counts it.
    return subscription.join(onFallBehind);
  }

  async close(): Promise<void> {
    for (const subscription of [...this.shared.values()])
      subscription.terminate({ errors: [new GraphQLError('router shutting down', { extensions: { code: 'SHUTTING_DOWN' } })] });
  }
}
