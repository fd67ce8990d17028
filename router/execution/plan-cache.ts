import { operationFromDocument } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { planSubscription, type SubscriptionPlan } from '../subscriptions/plan-subscription.js';

/** The gateway's operation context: the client's operation and fragments against the API schema. */
export type OperationContext = ReturnType<typeof buildOperationContext>;

/** A planned query or mutation. */
export interface PlannedQuery {
  readonly kind: 'query';
  readonly queryPlan: QueryPlan;
  readonly operationContext: OperationContext;
}

/** What an operation plans to: a query plan, or a subscription's upstream and per-event plan. */
export type Planned = PlannedQuery | SubscriptionPlan;

/**
 * Plans by operation (text, name and rewrite variant), least recently used evicted first. Plans do
 * not depend on variable values, so one plan serves every request of an operation. A reloaded
 * supergraph starts an empty cache.
 */
export class PlanCache {
  private readonly plans: LRUCache<string, Planned>;
  private supergraph: LoadedSupergraph | undefined;

  constructor(capacity = 1000) {
    this.plans = new LRUCache({ max: capacity });
  }

  planFor(supergraph: LoadedSupergraph, key: string, document: DocumentNode, operationName: string | undefined, subscription: boolean): Planned {
    if (supergraph !== this.supergraph) {
      this.plans.clear();
      this.supergraph = supergraph;
    }
    const cached = this.plans.get(key);
    if (cached) return cached;
    const planned: Planned = subscription
      ? planSubscription(supergraph, document, operationName)
      : {
          kind: 'query',
          queryPlan: supergraph.planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema, document, { operationName })),
          operationContext: buildOperationContext({ schema: supergraph.schema, operationDocument: document, ...(operationName ? { operationName } : {}) }),
        };
    this.plans.set(key, planned);
    return planned;
  }
}
