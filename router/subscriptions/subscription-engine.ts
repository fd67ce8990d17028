import { createHash } from 'node:crypto';
import { executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { canonicalJson } from '../../common/json/canonical-json.js';
import { injectTraceContext } from '../../common/telemetry/tracing.js';
import type { PreparedOperation } from '../execution/router-pipeline.js';
import { operationRun, type OperationRun } from '../execution/operation-run.js';
import type { SubgraphServices } from '../gateway/subgraph-services.js';
import type { HookRunner } from '../plugins/hook-runner.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { initialResumeOf, type SubscriptionPlan } from './plan-subscription.js';
import { SharedSubscription, type UpstreamEvent } from './shared-subscription.js';
import type { UpstreamClients } from './upstream-clients.js';

type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** Name under which each upstream event enters the plan (never a real subgraph name). */
const EVENT_SOURCE = '__tributary_subscription_event__';

/** A prepared subscription. */
export type PreparedSubscription = PreparedOperation & { readonly planned: SubscriptionPlan };

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
  private readonly counters: SubscriptionStats = { clients: 0, upstreams: 0, upstreamsStarted: 0, enrichments: 0, delivered: 0, slowConsumers: 0, byField: new Map() };

  constructor(
    initial: LoadedSupergraph,
    private readonly services: SubgraphServices,
    private readonly clients: UpstreamClients,
    private readonly hooks: HookRunner,
    private readonly logger: Logger,
  ) {
    this.supergraph = initial;
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
      const created = this.startShared(key, prepared);
      if (!(created instanceof SharedSubscription)) return created;
      subscription = created;
    }
    const counters = this.counters;
    const fellBehind = () => {
      counters.slowConsumers += 1;
      onFallBehind?.();
    };
    return countClient(subscription.join(fellBehind), counters, prepared.planned.rootField);
  }

  private startShared(key: string, prepared: PreparedSubscription): SharedSubscription | ExecutionResult {
    const plan = prepared.planned;
    const serviceName = plan.primary.serviceName;
    const service = this.supergraph.services.find((candidate) => candidate.name === serviceName);
    if (!service) return { errors: [new GraphQLError(`subgraph ${serviceName} is unknown`)] };
    const supergraph = this.supergraph;
    const counters = this.counters;
    const shared = this.shared;
    // The first subscriber's run signs the upstream subscription and the enrichment fetches; every
    // sharer has the same sharing scope, so the subgraphs answer them alike.
    const run = operationRun(prepared.context, prepared.operation, prepared.variables, prepared.operationName, prepared.sharing);
    const headers: Record<string, string> = {};
    const subscription = new SharedSubscription({
      key,
      plan,
      client: this.clients.client(service.name, this.services.dataSource(service.name).replicas),
      variables: prepared.variables,
      initialResume: plan.resumable ? initialResumeOf(plan.operationContext.operation, prepared.variables) : null,
      prepareExtensions: async () => {
        await this.hooks.subgraphHeaders(prepared.context, prepared.operation, serviceName, 'subscription', headers);
        injectTraceContext(headers);
        return { headers };
      },
      enrich: (eventPlan, event) => this.enrich(supergraph, eventPlan, event, run),
      onStart: () => {
        counters.upstreamsStarted += 1;
      },
      onEnrich: (listeners) => {
        counters.enrichments += 1;
        counters.delivered += listeners;
      },
      onEnd: (ended) => {
        if (shared.get(ended.key) === ended) shared.delete(ended.key);
      },
      logger: this.logger,
    });
    shared.set(key, subscription);
    return subscription;
  }

  /** Runs the rest of the plan for one event, shaping the result to the client's selection. */
  private async enrich(supergraph: LoadedSupergraph, plan: SubscriptionPlan, event: UpstreamEvent, run: OperationRun): Promise<ExecutionResult> {
    const eventFetch = { ...plan.primary, serviceName: EVENT_SOURCE };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: plan.rest ? { kind: 'Sequence', nodes: [eventFetch, plan.rest] } : eventFetch,
    };
    const serviceMap: ServiceMap = {
      [EVENT_SOURCE]: { process: async () => ({ data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) }) } as ServiceMap[string],
    };
    Object.assign(serviceMap, this.services.serviceMap());
    // The executor reads only the request's variables and name, the context, a logger and its metrics,
    // all of which `run` has: the rest of Apollo's request context is never touched.
    const requestContext = run as unknown as GatewayRequestContext;
    const result = (await executeQueryPlan(queryPlan, serviceMap, requestContext, plan.operationContext, supergraph.supergraphSchema, supergraph.apiSchema)) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map((error) => namingOwner(error, plan.primary.serviceName)) } : result;
  }

  async close(): Promise<void> {
    for (const subscription of [...this.shared.values()]) subscription.terminate({ errors: [new GraphQLError('router shutting down', { extensions: { code: 'SHUTTING_DOWN' } })] });
  }
}

/** An error of the upstream event itself names the subgraph that owns the subscription, not the event's stand-in source. */
function namingOwner(error: GraphQLError, owner: string): GraphQLError {
  if (error.extensions.serviceName !== EVENT_SOURCE) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: { ...error.extensions, serviceName: owner },
  });
}

/**
 * Counts a client while its iterator is open. A function of its own so that the per-client
 * closures keep only the iterator and the counters alive, not the request or the plan.
 */
function countClient(iterator: AsyncIterableIterator<ExecutionResult>, counters: SubscriptionStats, field: string): AsyncIterableIterator<ExecutionResult> {
  counters.clients += 1;
  counters.byField.set(field, (counters.byField.get(field) ?? 0) + 1);
  let closed = false;
  const close = () => {
    if (!closed) {
      counters.clients -= 1;
      const left = (counters.byField.get(field) ?? 1) - 1;
      if (left > 0) counters.byField.set(field, left);
      else counters.byField.delete(field);
    }
    closed = true;
  };
  const counted: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const result = await iterator.next();
      if (result.done) close();
      return result;
    },
    return: async () => {
      close();
      return iterator.return!();
    },
    [Symbol.asyncIterator]: () => counted,
  };
  return counted;
}
