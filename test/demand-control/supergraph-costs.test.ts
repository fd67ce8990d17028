import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkCostBudget, costSchemaFromSupergraphSdl, DEFAULT_COST_BUDGET, estimateCost, MAX_COST } from '../../router/demand-control/index.js';
import { aliasedProducts, productCampaignCycle, shippedOperations, supergraphSdl } from '../limits/shipped-operations.js';

const costs = costSchemaFromSupergraphSdl(supergraphSdl());
const connection = { assumedSize: undefined, slicingArguments: ['first'], sizedFields: ['edges'], requireOneSlicingArgument: false };

const estimateOf = (text: string, variables: Record<string, unknown> = {}) => {
  const document = parse(text);
  expect(validate(costs.schema, document)).toEqual([]);
  return estimateCost({ document, variables }, costs).cost;
};

describe('costs of the supergraph', () => {
  it('carry the subgraphs’ @cost and @listSize through composition', () => {
    const { directives } = costs;
    expect(directives.listSize('Query', 'products')).toEqual(connection);
    expect(directives.listSize('Campaign', 'impressions')).toEqual(connection);
    expect(directives.listSize('Query', 'entries')).toEqual(connection);
    expect(directives.listSize('Product', 'campaigns')).toMatchObject({ assumedSize: 20 });
    expect(directives.listSize('ModelAnalytics', 'trend')).toMatchObject({ slicingArguments: ['days'], requireOneSlicingArgument: false });
    expect(directives.listSize('RegisterImpressionsPayload', 'impressions')).toMatchObject({ assumedSize: 10_000 });
    expect(directives.fieldWeight('Mutation', 'compareEntries')).toBe(50);
    expect(directives.fieldWeight('Query', 'stockLevelAt')).toBe(10);
  });

  it('keep every shipped operation within the default budget', () => {
    const over = shippedOperations().flatMap((operation) => {
      const { cost } = estimateCost({ document: operation.document, operationName: operation.operationName, variables: operation.variables }, costs);
      return cost > DEFAULT_COST_BUDGET ? [`${operation.name}: ${cost}`] : [];
    });
    expect(over).toEqual([]);
  });

  it('size connections by their first argument', () => {
    // The connection, then 50 × (edge + node + campaigns 20 × campaign).
    expect(estimateOf('{ products(first: 50) { edges { node { id campaigns { id } } } } }')).toBe(1 + 50 * (2 + 20));
    expect(estimateOf('query($first: Int) { campaigns(first: $first) { edges { node { id } } } }', { first: 7 })).toBe(1 + 7 * 2);
  });

  it('refuse 1,000 aliases of products(first: 50) as too expensive, with the estimate and the budget', () => {
    const estimated = estimateOf(aliasedProducts(1_000, 50));
    expect(estimated).toBe(1_000 * (1 + 50 * 2));
    expect(checkCostBudget(estimated)?.extensions).toEqual({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 101_000, budget: DEFAULT_COST_BUDGET } });
  });

  it('refuse 10,000 aliases of products(first: 1) as too expensive', () => {
    expect(checkCostBudget(estimateOf(aliasedProducts(10_000, 1)))?.extensions.cost).toEqual({ estimated: 30_000, budget: DEFAULT_COST_BUDGET });
  });

  it('refuse the products → campaigns → product cycle long before depth 51: each campaigns list multiplies', () => {
    expect(estimateOf(productCampaignCycle(51))).toBe(MAX_COST);
    const sixteen = estimateOf(productCampaignCycle(16));
    expect(checkCostBudget(sixteen)?.extensions.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(checkCostBudget(estimateOf(productCampaignCycle(6)))).toBeUndefined();
  });

  it('price a full batch of 10,000 impressions by its input, and more when its impressions are selected', () => {
    const impressions = Array.from({ length: 10_000 }, (_, index) => ({ id: `i${index}`, influencerId: 'influencer-1' }));
    const input = { campaignId: 'campaign-1', impressions };
    const counts = estimateOf('mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted duplicates } }', { input });
    // 10 for the mutation, 1 for the payload, 1 for the input and 1 per impression.
    expect(counts).toBe(10 + 1 + 1 + 10_000);
    const withImpressions = estimateOf('mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { impressions { id } } }', { input });
    expect(withImpressions).toBe(counts + 10_000);
    expect(checkCostBudget(withImpressions)).toBeUndefined();
  });
});
