import { executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import type { Logger } from 'pino';
import { injectTraceContext } from '../../common/telemetry/tracing.js';
import type { PreparedOperation } from '../execution/router-pipeline.js';
import { operationRun, type OperationRun } from '../execution/operation-run.js';
import type { SubgraphServices } from '../gateway/subgraph-services.js';
import type { HookRunner } from '../plugins/hook-runner.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { initialResumeOf, type SubscriptionPlan } from './plan-subscription.js';
import type { SharedSubscription, SharedSubscriptionOptions, UpstreamEvent } from './shared-subscription.js';
import type { SubscriptionStats } from './subscription-engine.js';

type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** Name under which each upstream event enters the plan (never a real subgraph name). */
const EVENT_SOURCE = '__tributary_subscription_event__';

/** A prepared subscription. */
export type PreparedSubscription = PreparedOperation & { readonly planned: SubscriptionPlan };

/** What the engine shares with every upstream it starts. */
export interface UpstreamHost {
  readonly counters: SubscriptionStats;
  readonly shared: Map<string, SharedSubscription>;
  readonly services: SubgraphServices;
  readonly hooks: HookRunner;
  readonly logger: Logger;
}

/**
 * The engine's side of one shared upstream: how it is signed, enriched and counted. Its callbacks
 * are methods, so an upstream costs this one object rather than a closure per callback; the
 * first subscriber's run (what signs the enrichment fetches) is only built when an event comes.
 */
export class EngineUpstream implements SharedSubscriptionOptions {
  readonly plan: SubscriptionPlan;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly initialResume: string | null;
  private run: OperationRun | undefined;

  constructor(
    private readonly host: UpstreamHost,
    readonly key: string,
    /** The first subscriber: every sharer has the same sharing scope, so the subgraphs answer them alike. */
    private readonly prepared: PreparedSubscription,
    private readonly supergraph: LoadedSupergraph,
    readonly client: Client,
  ) {
    this.plan = prepared.planned;
    this.variables = prepared.variables;
    this.initialResume = this.plan.resumable ? initialResumeOf(this.plan.operationContext.operation, prepared.variables) : null;
  }

  get logger(): Logger {
    return this.host.logger;
  }

  async prepareExtensions(): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = {};
    await this.host.hooks.subgraphHeaders(this.prepared.context, this.prepared.operation, this.plan.primary.serviceName, 'subscription', headers);
    injectTraceContext(headers);
    return { headers };
  }

  /** Runs the rest of the plan for one event, shaping the result to the client's selection. */
  async enrich(plan: SubscriptionPlan, event: UpstreamEvent): Promise<ExecutionResult> {
    const { prepared } = this;
    this.run ??= operationRun(prepared.context, prepared.operation, prepared.variables, prepared.operationName, prepared.sharing);
    const eventFetch = { ...plan.primary, serviceName: EVENT_SOURCE };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: plan.rest ? { kind: 'Sequence', nodes: [eventFetch, plan.rest] } : eventFetch,
    };
    const serviceMap: ServiceMap = {
      [EVENT_SOURCE]: { process: async () => ({ data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) }) } as ServiceMap[string],
    };
    Object.assign(serviceMap, this.host.services.serviceMap());
    // The executor reads only the request's variables and name, the context, a logger and its metrics,
    // all of which `run` has: the rest of Apollo's request context is never touched.
    const requestContext = this.run as unknown as GatewayRequestContext;
    const result = (await executeQueryPlan(
      queryPlan,
      serviceMap,
      requestContext,
      plan.operationContext,
      this.supergraph.supergraphSchema,
      this.supergraph.apiSchema,
    )) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map((error) => namingOwner(error, plan.primary.serviceName)) } : result;
  }

  onStart(): void {
    this.host.counters.upstreamsStarted += 1;
  }

  onEnrich(listeners: number): void {
    this.host.counters.enrichments += 1;
    this.host.counters.delivered += listeners;
  }

  onEnd(ended: SharedSubscription): void {
    if (this.host.shared.get(ended.key) === ended) this.host.shared.delete(ended.key);
  }

  onClientJoin(): void {
    const { counters } = this.host;
    counters.clients += 1;
    counters.byField.set(this.plan.rootField, (counters.byField.get(this.plan.rootField) ?? 0) + 1);
  }

  onClientEnd(): void {
    const { counters } = this.host;
    counters.clients -= 1;
    const left = (counters.byField.get(this.plan.rootField) ?? 1) - 1;
    if (left > 0) counters.byField.set(this.plan.rootField, left);
    else counters.byField.delete(this.plan.rootField);
  }

  onSlowConsumer(): void {
    this.host.counters.slowConsumers += 1;
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
