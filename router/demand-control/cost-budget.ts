import { GraphQLError } from 'graphql';

/** Codes demand control refuses with. */
export const DemandControlCode = {
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
} as const;

export type DemandControlCode = (typeof DemandControlCode)[keyof typeof DemandControlCode];

/** Every demand-control code: clients may see these errors with their messages. */
export const DEMAND_CONTROL_ERROR_CODES: readonly DemandControlCode[] = Object.values(DemandControlCode);

/**
 * The largest estimated cost an operation may have. The dearest client operation the product
 * ships, the inventory dashboard (50 products with their stock levels and pending reservations),
 * costs about 12,900, and a full 10,000-impression batch with its impressions selected about
 * 20,000; a thousand aliased product pages of 50 cost 101,000.
 */
export const DEFAULT_COST_BUDGET = 25_000;

/** What `extensions.cost` of a response holds. */
export interface CostReport {
  readonly estimated: number;
  /** Measured from the result; absent when the operation did not run (refused, or not measured). */
  readonly actual?: number;
  readonly budget: number;
}

/** `extensions.cost` of a response: the estimate, the actual cost when measured, and the budget. */
export function costExtension(report: CostReport): { cost: CostReport } {
  return {
    cost:
      report.actual === undefined
        ? { estimated: report.estimated, budget: report.budget }
        : { estimated: report.estimated, actual: report.actual, budget: report.budget },
  };
}

/**
 * The refusal of an operation whose estimate is over the budget, or undefined when it fits. The
 * error's extensions hold the estimate and the budget (`cost: { estimated, budget }`).
 */
export function checkCostBudget(estimated: number, budget: number = DEFAULT_COST_BUDGET): GraphQLError | undefined {
  if (estimated <= budget) return undefined;
  return new GraphQLError(`The operation's estimated cost of ${estimated} is over the budget of ${budget}: select fewer or smaller lists.`, {
    extensions: { code: DemandControlCode.COST_ESTIMATED_TOO_EXPENSIVE, ...costExtension({ estimated, budget }) },
  });
}
