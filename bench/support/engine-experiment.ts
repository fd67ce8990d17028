/**
 * PROTOTYPE of a proposed change to router/subscriptions/subscription-engine.ts, applied by
 * patching SubscriptionEngine.prototype.subscribe inside a benchmark's router process only (the
 * router's code is not changed). It measures what the change would save; it is not the shipped
 * router. The change:
 *
 * 1. Compute the dedup key first and plan only when no shared subscription exists (today every
 *    subscribe plans, and the plan of a deduplicated subscriber is then thrown away — or rather
 *    kept: see 3).
 * 2. Cache plans per (supergraph, operation text, operation name): a plan does not depend on
 *    variable values except the initial resume position, which is recomputed per subscription.
 *    Distinct subscriptions of the same operation then share one plan.
 * 3. Build the per-client iterator in its own function. Today `subscribe` has a closure that
 *    reads `plan` (`services.find((candidate) => candidate.name === plan.primary.serviceName)`),
 *    so V8 puts `plan` in the function's shared context, and the per-client `next`/`return`
 *    closures keep that whole plan (~18 KB) alive for every client, deduplicated or not.
 */
import { createHash } from 'node:crypto';
import { GraphQLError, Kind, print, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { canonicalJson } from '../../subgraphs/shared/commands/idempotency.js';
import { planSubscription, RESUME_ARGUMENT, type SubscriptionPlan } from '../../router/subscriptions/plan-subscription.js';
import { SharedSubscription, type UpstreamEvent } from '../../router/subscriptions/shared-subscription.js';
import { SubscriptionEngine, type SubscribeRequest, type SubscriptionStats } from '../../router/subscriptions/subscription-engine.js';
import type { UpstreamClients } from '../../router/subscriptions/upstream-clients.js';
import type { LoadedSupergraph } from '../../router/supergraph/load-supergraph.js';

/** The engine's private state, as the prototype needs it. */
interface EngineInternals {
  supergraph: LoadedSupergraph;
  readonly shared: Map<string, SharedSubscription>;
  readonly counters: SubscriptionStats;
  readonly clients: UpstreamClients;
  enrich(supergraph: LoadedSupergraph, plan: SubscriptionPlan, event: UpstreamEvent, request: SubscribeRequest): Promise<ExecutionResult>;
}

const planCache = new WeakMap<LoadedSupergraph, Map<string, SubscriptionPlan>>();

/** The client's own `after` on the root field (literal or variable), as withResumeVariable reads it. */
function initialResumeOf(request: SubscribeRequest): string | null {
  const operation = request.document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (!request.operationName || definition.name?.value === request.operationName),
  );
  const root = operation?.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD) return null;
  const after = root.arguments?.find((argument) => argument.name.value === RESUME_ARGUMENT);
  if (after?.value.kind === Kind.STRING) return after.value.value;
  if (after?.value.kind === Kind.VARIABLE) {
    const value = request.variables[after.value.name.value];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

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

function createShared(engine: EngineInternals, request: SubscribeRequest, key: string, text: string): SharedSubscription | ExecutionResult {
  const supergraph = engine.supergraph;
  let plans = planCache.get(supergraph);
  if (!plans) planCache.set(supergraph, (plans = new Map()));
  const planKey = `${text}\u0000${request.operationName ?? ''}`;
  let cached = plans.get(planKey);
  if (!cached) {
    try {
      cached = planSubscription(supergraph, request.document, request.operationName, request.variables);
    } catch (error) {
      return { errors: [new GraphQLError(error instanceof Error ? error.message : 'could not plan subscription', { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    plans.set(planKey, cached);
  }
  const plan: SubscriptionPlan = cached.resumable ? { ...cached, initialResume: initialResumeOf(request) } : cached;
  const serviceName = plan.primary.serviceName;
  const service = supergraph.services.find((candidate) => candidate.name === serviceName);
  if (!service) return { errors: [new GraphQLError(`subgraph ${serviceName} is unknown`)] };
  const counters = engine.counters;
  const shared = engine.shared;
  const subscription = new SharedSubscription({
    key,
    plan,
    client: engine.clients.client(service.url),
    variables: request.variables,
    extensions: { 'x-correlation-id': request.context.correlationId, ...(request.context.actor ? { 'x-actor': request.context.actor } : {}) },
    enrich: (eventPlan, event) => engine.enrich(supergraph, eventPlan, event, request),
    onStart: () => void (counters.upstreamsStarted += 1),
    onEnrich: () => void (counters.enrichments += 1),
    onEnd: (ended) => {
      if (shared.get(ended.key) === ended) shared.delete(ended.key);
    },
  });
  shared.set(key, subscription);
  return subscription;
}

export function applyEngineExperiment(): void {
  SubscriptionEngine.prototype.subscribe = async function subscribe(this: SubscriptionEngine, request: SubscribeRequest) {
    const engine = this as unknown as EngineInternals;
    const text = print(request.document);
    const key = createHash('sha256')
      .update(text)
      .update('\u0000')
      .update(request.operationName ?? '')
      .update('\u0000')
      .update(canonicalJson(request.variables))
      .update('\u0000')
      .update(request.context.authScope)
      .digest('hex');
    let subscription = engine.shared.get(key);
    if (!subscription) {
      const created = createShared(engine, request, key, text);
      if (!(created instanceof SharedSubscription)) return created;
      subscription = created;
    }
    return countClient(subscription.join(), engine.counters);
  };
}
