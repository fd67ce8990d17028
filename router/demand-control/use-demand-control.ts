import type { ExecutionResult } from 'graphql';
import type { OperationHandle, RouterPlugin } from '../plugins/contract.js';
import { OperationRefused } from '../plugins/router-error.js';
import { actualCost } from './actual-cost.js';
import { DEFAULT_COST_BUDGET, checkCostBudget, costExtension } from './cost-budget.js';
import { costSchemaOf, type CostSchema } from './cost-directives.js';
import type { CostedOperation } from './cost-rules.js';
import { EstimateMemo } from './estimate-memo.js';

export interface DemandControlOptions {
  /** The largest estimated cost an operation may have. */
  readonly budget?: number;
  /** Add `extensions.cost: { estimated, actual, budget }` to every result. */
  readonly reportCost?: boolean;
}

/** The demand-control plugin, and what it estimated for each operation (for rate limiting by cost). */
export interface DemandControl extends RouterPlugin {
  /** The estimate of an operation that passed `onOperation`. */
  estimateOf(operation: OperationHandle): number | undefined;
}

/**
 * Demand control: estimates each operation's cost from `@cost` and `@listSize` (read from the
 * supergraph) before it is planned and refuses it over the budget with
 * COST_ESTIMATED_TOO_EXPENSIVE; a subscription is costed when it subscribes, and each event
 * measured. With `reportCost`, results carry the estimate and the actual cost.
 */
export function useDemandControl(options: DemandControlOptions = {}): DemandControl {
  const budget = options.budget ?? DEFAULT_COST_BUDGET;
  let costSchema: CostSchema | undefined;
  let memo = new EstimateMemo();
  // Per operation: its estimate, and (only when results report their actual cost) what it was
  // estimated from. A subscription keeps its entry for its whole life, so nothing more is kept.
  const estimates = new WeakMap<OperationHandle, number>();
  const costedOperations = new WeakMap<OperationHandle, CostedOperation>();
  return {
    name: 'demand-control',
    onSupergraph(supergraph) {
      costSchema = costSchemaOf(supergraph.supergraph, supergraph.schema);
      memo = new EstimateMemo();
    },
    onOperation(event) {
      if (!costSchema) return;
      const costed: CostedOperation = { document: event.document, operationName: event.operation.name ?? null, variables: event.variables };
      const estimated = memo.estimate(costed, costSchema);
      const refusal = checkCostBudget(estimated, budget);
      if (refusal) throw new OperationRefused([refusal], 400);
      estimates.set(event.operation, estimated);
      if (options.reportCost) costedOperations.set(event.operation, costed);
    },
    onResult(event) {
      if (!options.reportCost || !costSchema) return;
      const estimated = estimates.get(event.operation);
      const costed = costedOperations.get(event.operation);
      if (estimated === undefined || !costed) return;
      const actual = actualCost(costed, event.result.data, costSchema);
      const result: ExecutionResult = { ...event.result, extensions: { ...event.result.extensions, ...costExtension({ estimated, actual, budget }) } };
      event.setResult(result);
    },
    estimateOf: (operation) => estimates.get(operation),
  };
}
