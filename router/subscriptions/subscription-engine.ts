import { createHash } from 'node:crypto';
import { executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { canonicalJson } from '../../subgraphs/shared/commands/idempotency.js';
import type { RouterGateway } from '../gateway/router-gateway.js';
import type { RouterContext } from '../server/router-context.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { initialResumeOf, planSubscription, type SubscriptionPlan } from './plan-subscription.js';
import { SharedSubscription, type UpstreamEvent } from './shared-subscription.js';
import type { UpstreamClients } from './upstream-clients.js';

/** Operation texts by document: the router shares one document per text (see DocumentCache). */
const printedDocuments = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

/** Distinct subscription operations whose plans are kept. */
const PLAN_CACHE_SIZE = 500;

type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** Name under which each upstream event enters the plan (never a real subgraph name). */
const EVENT_SOURCE = '__tributary_subscription_event__';

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
}

export interface SubscribeRequest {
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: RouterContext;
}

/**
 * Federated subscriptions: plans each client subscription with the gateway's query planner, runs
 * the primary fetch as a graphql-ws subscription to the owning subgraph, and for every event runs
 * the rest of the plan through the gateway's executor. Identical subscriptions (operation,
 * variables, auth scope) share one upstream and one enrichment per event.
 */
export class SubscriptionEngine {
  private supergraph: LoadedSupergraph;
  private readonly shared = new Map<string, SharedSubscription>();
  /** Plans by operation text for the current supergraph (insertion order: oldest first). */
  private readonly plans = new Map<string, SubscriptionPlan>();
  private readonly counters: SubscriptionStats = { clients: 0, upstreams: 0, upstreamsStarted: 0, enrichments: 0 };

  constructor(
    initial: LoadedSupergraph,
    private readonly gateway: RouterGateway,
    private readonly clients: UpstreamClients,
    private readonly logger: Logger,
  ) {
    this.supergraph = initial;
  }

  stats(): Readonly<SubscriptionStats> {
    return { ...this.counters, upstreams: this.shared.size };
  }

  /** New supergraph: open subscriptions end with SUPERGRAPH_RELOADED so clients resubscribe. */
  reload(next: LoadedSupergraph): void {
    this.supergraph = next;
    this.plans.clear();
    const notice = {
      errors: [
        new GraphQLError('the supergraph was reloaded; subscribe again (resume with your last position)', {
          extensions: { code: 'SUPERGRAPH_RELOADED' },
        }),
      ],
    };
    for (const subscription of [...this.shared.values()]) subscription.terminate(notice);
  }

  async subscribe(request: SubscribeRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const text = printed(request.document);
    const key = createHash('sha256')
      .update(text)
      .update('\u0000')
      .update(request.operationName ?? '')
      .update('\u0000')
      .update(canonicalJson(request.variables))
      .update('\u0000')
      .update(request.context.authScope)
      .digest('hex');
    let subscription = this.shared.get(key);
    if (!subscription) {
      // Only a new shared upstream needs a plan; joining an existing one costs a map lookup.
      const created = this.startShared(key, text, request);
      if (!(created instanceof SharedSubscription)) return created;
      subscription = created;
    }
    return countClient(subscription.join(), this.counters);
  }

  /** The plan of an operation, made once per supergraph: plans do not depend on variable values. */
  private planFor(text: string, request: SubscribeRequest): SubscriptionPlan {
    const planKey = `${request.operationName ?? ''}\u0000${text}`;
    let plan = this.plans.get(planKey);
    if (!plan) {
      plan = planSubscription(this.supergraph, request.document, request.operationName);
      if (this.plans.size >= PLAN_CACHE_SIZE) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(planKey, plan);
    }
    return plan;
  }

  private startShared(key: string, text: string, request: SubscribeRequest): SharedSubscription | ExecutionResult {
    let plan: SubscriptionPlan;
    try {
      plan = this.planFor(text, request);
    } catch (error) {
      return { errors: [new GraphQLError(error instanceof Error ? error.message : 'could not plan subscription', { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    const serviceName = plan.primary.serviceName;
    const service = this.supergraph.services.find((candidate) => candidate.name === serviceName);
    if (!service) return { errors: [new GraphQLError(`subgraph ${serviceName} is unknown`)] };
    const supergraph = this.supergraph;
    const counters = this.counters;
    const shared = this.shared;
    const subscription = new SharedSubscription({
      key,
      plan,
      client: this.clients.client(service.url),
      variables: request.variables,
      initialResume: plan.resumable ? initialResumeOf(request.document, request.operationName, request.variables) : null,
      extensions: { 'x-correlation-id': request.context.correlationId, ...(request.context.actor ? { 'x-actor': request.context.actor } : {}) },
      enrich: (eventPlan, event) => this.enrich(supergraph, eventPlan, event, request),
      onStart: () => {
        counters.upstreamsStarted += 1;
      },
      onEnrich: () => {
        counters.enrichments += 1;
      },
      onEnd: (ended) => {
        if (shared.get(ended.key) === ended) shared.delete(ended.key);
      },
    });
    shared.set(key, subscription);
    return subscription;
  }

  /** Runs the rest of the plan for one event, shaping the result to the client's selection. */
  private async enrich(supergraph: LoadedSupergraph, plan: SubscriptionPlan, event: UpstreamEvent, request: SubscribeRequest): Promise<ExecutionResult> {
    const eventFetch = { ...plan.primary, serviceName: EVENT_SOURCE };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: plan.rest ? { kind: 'Sequence', nodes: [eventFetch, plan.rest] } : eventFetch,
    };
    const serviceMap: ServiceMap = {
      [EVENT_SOURCE]: { process: async () => ({ data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) }) } as ServiceMap[string],
    };
    for (const service of supergraph.services) serviceMap[service.name] = this.gateway.dataSource(service.name);
    const requestContext = {
      request: { variables: { ...request.variables }, operationName: request.operationName ?? undefined },
      context: request.context,
      logger: this.logger,
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as GatewayRequestContext;
    const result = await executeQueryPlan(queryPlan, serviceMap, requestContext, plan.operationContext, supergraph.supergraphSchema, supergraph.apiSchema);
    return result as ExecutionResult;
  }

  async close(): Promise<void> {
    for (const subscription of [...this.shared.values()]) subscription.terminate({ errors: [new GraphQLError('router shutting down', { extensions: { code: 'SHUTTING_DOWN' } })] });
  }
}

/**
 * Counts a client while its iterator is open. A function of its own so that the per-client
 * closures keep only the iterator and the counters alive, not the request or the plan.
 */
function countClient(iterator: AsyncIterableIterator<ExecutionResult>, counters: SubscriptionStats): AsyncIterableIterator<ExecutionResult> {
  counters.clients += 1;
  let closed = false;
  const close = () => {
    if (!closed) counters.clients -= 1;
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
