/**
 * Demand control by the IBM/Apollo cost specification: `@cost` and `@listSize` read from the
 * supergraph, a static estimate before an operation runs ({@link estimateCost}), the actual cost
 * of what came back ({@link actualCost}), the budget check and `extensions.cost`, and a guard
 * that refuses a response over a size limit before its body is built.
 */
export { actualCost } from './actual-cost.js';
export { checkCostBudget, costExtension, DEFAULT_COST_BUDGET, DEMAND_CONTROL_ERROR_CODES, DemandControlCode, type CostReport } from './cost-budget.js';
export { costSchemaFromSupergraphSdl, costSchemaOf, readCostDirectives, type CostDirectives, type CostSchema, type ListSize } from './cost-directives.js';
export { MAX_COST, MUTATION_BASE_COST, type CostedOperation } from './cost-rules.js';
export { DEFAULT_LIST_SIZE, estimateCost, type CostEstimate, type EstimateOptions } from './estimate-cost.js';
export { DEFAULT_MAX_RESPONSE_BYTES, jsonByteLength, ResponseSizeGuard, responseTooLarge } from './response-size.js';
