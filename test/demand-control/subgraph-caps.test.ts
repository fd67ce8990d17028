import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, pageSize } from '../../subgraphs/shared/graphql/connection.js';
import { capEntityBatches, MAX_ENTITY_BATCH } from '../../subgraphs/shared/graphql/entity-batches.js';
import { isDomainError } from '../../subgraphs/shared/errors/codes.js';
import { inventoryTypeDefs } from '../../subgraphs/inventory/subgraph.js';

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id } } }';

const representations = (count: number) => Array.from({ length: count }, (_, index) => ({ __typename: 'Product', id: `p${index}` }));

/** A subgraph of products that resolves every reference, and counts them. */
function productsSubgraph() {
  let resolved = 0;
  const schema = buildSubgraphSchema({
    typeDefs: parse(
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Product @key(fields: "id") { id: ID! } type Query { ok: Boolean }',
    ),
    resolvers: {
      Product: {
        __resolveReference: (reference: { id: string }) => {
          resolved += 1;
          return reference;
        },
      },
    },
  });
  return { schema: capEntityBatches(schema), resolved: () => resolved };
}

const run = async (schema: Parameters<typeof execute>[0]['schema'], count: number) =>
  (await execute({ schema, document: parse(ENTITIES), variableValues: { representations: representations(count) } })) as ExecutionResult<{
    _entities: unknown[] | null;
  }>;

describe('subgraph caps', () => {
  it('resolves an entity batch of up to the cap', async () => {
    const subgraph = productsSubgraph();
    const result = await run(subgraph.schema, MAX_ENTITY_BATCH);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toHaveLength(MAX_ENTITY_BATCH);
    expect(subgraph.resolved()).toBe(MAX_ENTITY_BATCH);
  });

  it('refuses a larger entity batch with BAD_USER_INPUT naming the cap, resolving none of it', async () => {
    const subgraph = productsSubgraph();
    const result = await run(subgraph.schema, MAX_ENTITY_BATCH + 1);
    // `_entities` is non-null: the whole result is null.
    expect(result.data).toBeNull();
    const cause = result.errors?.[0]?.originalError;
    expect(isDomainError(cause) && { code: cause.code, extensions: cause.extensions, message: cause.message }).toEqual({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'representations', max: 1_000, found: 1_001 },
      message: 'at most 1000 entities can be resolved in one call, 1001 were asked for',
    });
    expect(subgraph.resolved()).toBe(0);
  });

  it('caps the inventory subgraph’s own schema before any of its resolvers run', async () => {
    // No database behind it: a resolver that ran would fail, so the refusal must come first.
    const schema = capEntityBatches(
      buildSubgraphSchema({ typeDefs: inventoryTypeDefs, resolvers: { Product: { __resolveReference: () => Promise.reject(new Error('resolved')) } } }),
    );
    const result = await run(schema, 5_000);
    expect(result.errors?.map((error) => error.message)).toEqual(['at most 1000 entities can be resolved in one call, 5000 were asked for']);
  });

  it('refuses a page above the maximum with BAD_USER_INPUT naming it', () => {
    expect(pageSize(MAX_PAGE_SIZE)).toBe(500);
    expect(pageSize(undefined, 50)).toBe(50);
    let refusal: unknown;
    try {
      pageSize(MAX_PAGE_SIZE + 1);
    } catch (error) {
      refusal = error;
    }
    expect(isDomainError(refusal) && { code: refusal.code, extensions: refusal.extensions, message: refusal.message }).toEqual({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'first', max: 500 },
      message: 'first must be an integer from 0 to 500',
    });
  });
});
