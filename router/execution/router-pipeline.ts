import { executeQueryPlan } from '@apollo/gateway';
import { GraphQLError, OperationTypeNode, getOperationAST, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { RouterContext } from '../context/router-context.js';
import type { SubgraphServices } from '../gateway/subgraph-services.js';
import type { OperationHandle } from '../plugins/contract.js';
import type { HookRunner } from '../plugins/hook-runner.js';
import { OperationRefused, RouterError, httpStatusOf } from '../plugins/router-error.js';
import type { SubscriptionEngine } from '../subscriptions/subscription-engine.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../demand-control/response-size.js';
import { DocumentCache } from './document-cache.js';
import { operationRun } from './operation-run.js';
import { PlanCache, type Planned, type PlannedQuery } from './plan-cache.js';
import { readGraphQLRequest } from './graphql-request.js';
import { variablesAreValid } from './variables-check.js';
import type { SubscriptionPlan } from '../subscriptions/plan-subscription.js';

type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** What a transport can carry. */
export interface TransportAbilities {
  /** Mutations (not over HTTP GET). */
  readonly mutations: boolean;
  /** Subscriptions (graphql-ws, Server-Sent Events). */
  readonly subscriptions: boolean;
}

/** An operation ready to run: checked by every plugin and planned. */
export interface PreparedOperation {
  readonly context: RouterContext;
  readonly operation: OperationHandle;
  readonly supergraph: LoadedSupergraph;
  /** The document planned: the client's, or what plugins rewrote it to. */
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Names the rewrites plugins made (part of the plan and sharing keys). */
  readonly variant: string;
  /** Upstream work is shared only between operations with the same sharing scope. */
  readonly sharing: string;
  readonly planned: Planned;
}

/** A prepared operation, or the request errors that refuse it and the HTTP status that goes with them. */
export type Preparation =
  | { readonly ok: true; readonly prepared: PreparedOperation }
  | { readonly ok: false; readonly errors: readonly GraphQLError[]; readonly status: number; readonly headers: Readonly<Record<string, string>> };

function refused(errors: readonly GraphQLError[], status = httpStatusOf(errors)): Preparation {
  const headers: Record<string, string> = {};
  for (const error of errors) if (error instanceof RouterError) Object.assign(headers, error.headers);
  return { ok: false, errors, status, headers };
}

/**
 * The one path every operation takes, whatever its transport: request hooks build the context
 * (see HookRunner), then `prepare` parses and validates (cached), checks variables, runs the
 * operation and plan hooks and plans (cached); `execute` or `subscribe` runs it and passes every
 * result through the result hooks.
 */
export class RouterPipeline {
  private readonly documents = new DocumentCache();
  private readonly plans = new PlanCache();

  constructor(
    readonly hooks: HookRunner,
    private readonly supergraph: () => LoadedSupergraph,
    private readonly services: SubgraphServices,
    private readonly engine: SubscriptionEngine,
    /** The most a query or mutation may receive from its subgraphs, in bytes (RESPONSE_TOO_LARGE beyond). */
    private readonly maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  ) {}

  async prepare(context: RouterContext, body: unknown, transport: TransportAbilities): Promise<Preparation> {
    const known: { operation?: OperationHandle } = {};
    let preparation: Preparation;
    try {
      preparation = await this.prepareOrThrow(context, body, transport, known);
    } catch (error) {
      if (error instanceof GraphQLError) preparation = refused([error]);
      else if (error instanceof OperationRefused) preparation = refused(error.errors, error.httpStatus);
      else {
        context.logger.error({ err: error }, 'operation could not be prepared');
        preparation = refused([new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })], 500);
      }
    }
    if (!preparation.ok) await this.hooks.refused({ context, operation: known.operation, errors: preparation.errors });
    return preparation;
  }

  private async prepareOrThrow(
    context: RouterContext,
    body: unknown,
    transport: TransportAbilities,
    known: { operation?: OperationHandle },
  ): Promise<Preparation> {
    const request = readGraphQLRequest(body);
    await this.hooks.parsing(context, request.query, request.operationName);
    const supergraph = this.supergraph();
    const checked = this.documents.check(supergraph.schema, request.query);
    if ('errors' in checked) return refused(checked.errors, 400);
    const definition = getOperationAST(checked.document, request.operationName);
    if (!definition) {
      const message = request.operationName
        ? `unknown operation named "${request.operationName}"`
        : 'the document holds several operations: send operationName';
      return refused([new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })], 400);
    }
    const operation: OperationHandle = { kind: definition.operation, name: definition.name?.value ?? request.operationName, source: request.query };
    known.operation = operation;
    if (definition.operation === OperationTypeNode.MUTATION && !transport.mutations) {
      return refused([new RouterError('BAD_REQUEST', 'mutations are sent with POST', { httpStatus: 405, headers: { allow: 'POST' } })]);
    }
    if (definition.operation === OperationTypeNode.SUBSCRIPTION && !transport.subscriptions) {
      return refused([
        new RouterError('BAD_REQUEST', 'subscriptions need a stream: use graphql-ws on this path, or accept text/event-stream (GraphQL over SSE)', {
          httpStatus: 400,
        }),
      ]);
    }
    if (!variablesAreValid(supergraph.schema, definition, request.variables)) {
      // Only now coerce with graphql-js: it builds copies of every value, and words the errors.
      const coerced = getVariableValues(supergraph.schema, definition.variableDefinitions ?? [], request.variables);
      if (coerced.errors) {
        return refused(
          coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })),
          400,
        );
      }
    }
    const decision = await this.hooks.operationResolved(context, operation, supergraph, checked.document, request.variables);
    const subscription = definition.operation === OperationTypeNode.SUBSCRIPTION;
    const planKey = `${request.operationName ?? ''}\u0000${decision.variant}\u0000${request.query}`;
    let planned: Planned;
    try {
      planned = this.plans.planFor(supergraph, planKey, decision.document, request.operationName, subscription);
    } catch (error) {
      if (subscription) {
        throw new GraphQLError(error instanceof Error ? error.message : 'could not plan the subscription', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      throw error;
    }
    await this.hooks.planned({ context, operation, supergraph, document: decision.document, variables: request.variables, plan: planned.queryPlan });
    return {
      ok: true,
      prepared: {
        context,
        operation,
        supergraph,
        document: decision.document,
        operationName: request.operationName,
        variables: request.variables,
        variant: decision.variant,
        sharing: decision.sharing,
        planned,
      },
    };
  }

  /** Runs a prepared query or mutation. */
  async execute(prepared: PreparedOperation): Promise<ExecutionResult> {
    const { context, operation, supergraph } = prepared;
    const planned = prepared.planned as PlannedQuery;
    const run = operationRun(context, operation, prepared.variables, prepared.operationName, prepared.sharing, this.maxResponseBytes);
    let result: ExecutionResult;
    try {
      result = (await executeQueryPlan(
        planned.queryPlan,
        this.services.serviceMap(),
        // The executor reads only the request's variables and name, the context, a logger and its metrics,
        // all of which `run` has: the rest of Apollo's request context is never touched.
        run as unknown as GatewayRequestContext,
        planned.operationContext,
        supergraph.supergraphSchema,
        supergraph.apiSchema,
      )) as ExecutionResult;
    } catch (error) {
      context.logger.error({ err: error }, 'query plan execution failed');
      result = { errors: [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
    }
    // Too large a response is refused whole, not served in part.
    const tooLarge = result.errors?.find((error) => error.extensions?.code === 'RESPONSE_TOO_LARGE');
    if (tooLarge) result = { errors: [tooLarge] };
    return this.hooks.resultReady(context, operation, result);
  }

  /**
   * Starts a prepared subscription: its results, each passed through the result hooks. A client
   * too far behind ends with SLOW_CONSUMER, and `onFallBehind` tells its transport at once.
   */
  async subscribe(prepared: PreparedOperation, onFallBehind?: () => void): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const stream = await this.engine.subscribe(prepared as PreparedOperation & { planned: SubscriptionPlan }, onFallBehind);
    if (!(Symbol.asyncIterator in stream) || !this.hooks.hasResultHooks) return stream;
    const { context, operation } = prepared;
    const hooks = this.hooks;
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const item = await stream.next();
        if (item.done) return item;
        return { done: false, value: await hooks.resultReady(context, operation, item.value) };
      },
      return: () => stream.return?.() ?? Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]: () => mapped,
    };
    return mapped;
  }

  /** The API schema of the current supergraph. */
  get schema(): GraphQLSchema {
    return this.supergraph().schema;
  }
}
