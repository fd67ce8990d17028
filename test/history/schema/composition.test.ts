import { existsSync, readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { historyTypeDefs } from '../../../subgraphs/history/subgraph.js';

const sdl = (name: string) => parse(readFileSync(new URL(`../../../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8'));

describe('history SDL', () => {
  it('composes with the inventory subgraph (and tracking, when present) into a supergraph', () => {
    const names = ['history', 'inventory', ...(existsSync(new URL('../../../subgraphs/tracking/schema.graphql', import.meta.url)) ? ['tracking'] : [])];
    const result = composeServices(names.map((name) => ({ name, url: `http://127.0.0.1/${name}`, typeDefs: sdl(name) })));
    expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
    const supergraph = result.schema!.toAPISchema().toGraphQLJSSchema();
    const product = supergraph.getType('Product') as GraphQLObjectType;
    expect(Object.keys(product.getFields())).toEqual(expect.arrayContaining(['sku', 'totalAvailable', 'generatedDescriptions']));
    const entry = supergraph.getType('HistoryEntry') as GraphQLObjectType;
    expect(entry.getFields().product!.type.toString()).toBe('Product');
  });

  it('follows the conventions: entities, mutations with payloads, resumable subscriptions with positions', () => {
    const schema = buildSubgraphSchema({ typeDefs: historyTypeDefs, resolvers: {} });
    const mutation = schema.getMutationType()!.getFields();
    for (const [name, field] of Object.entries(mutation)) {
      const pascal = name[0]!.toUpperCase() + name.slice(1);
      expect(field.args.map((arg) => `${arg.name}: ${arg.type.toString()}`)).toEqual([`input: ${pascal}Input!`]);
      expect(field.type.toString()).toBe(`${pascal}Payload!`);
      const payload = schema.getType(`${pascal}Payload`) as GraphQLObjectType;
      expect(Object.keys(payload.getFields())).toEqual(expect.arrayContaining(['events', 'replayed']));
    }
    const subscription = schema.getSubscriptionType()!.getFields();
    expect(Object.keys(subscription).sort()).toEqual(['analysisProgress', 'entryCreated', 'qualityAssessed']);
    for (const field of Object.values(subscription)) {
      expect(field.args.find((arg) => arg.name === 'after')?.type.toString()).toBe('String');
      const item = schema.getType(field.type.toString().replace('!', '')) as GraphQLObjectType;
      expect(item.getFields().position?.type.toString()).toBe('String!');
    }
    const entities = schema.getType('_Entity')!.toString();
    expect(entities).toBe('_Entity');
    const union = schema.getType('_Entity') as unknown as { getTypes(): Array<{ name: string }> };
    expect(
      union
        .getTypes()
        .map((type) => type.name)
        .sort(),
    ).toEqual(['AnalysisJob', 'Campaign', 'Comparison', 'HistoryEntry', 'Product', 'QualityAssessment']);
  });
});
