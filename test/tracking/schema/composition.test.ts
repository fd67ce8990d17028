import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSchema, parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';

/** The tracking SDL as a plain schema: its federation, authorization and cost directives left out. */
const trackingSchema = () =>
  buildSchema(
    sdl('tracking')
      .replace(/^extend schema.*$/m, '')
      .replace(/^\s+@link\(.*$/gm, '')
      .replace(/@(key|shareable|cost|listSize|authenticated|requiresScopes|policy)(\([^)]*\))?/g, ''),
  );

const sdl = (name: string) => readFileSync(new URL(`../../../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8');

describe('the tracking SDL', () => {
  it('composes with the inventory SDL into a supergraph where Campaign.product and Product.campaigns meet', () => {
    const result = composeServices([
      { name: 'inventory', url: 'http://127.0.0.1:4002/graphql', typeDefs: parse(sdl('inventory')) },
      { name: 'tracking', url: 'http://127.0.0.1:4003/graphql', typeDefs: parse(sdl('tracking')) },
    ]);
    expect(result.errors?.map((error) => error.message)).toBeUndefined();
    const api = buildSchema(result.supergraphSdl!, { assumeValidSDL: true });
    const product = api.getType('Product') as GraphQLObjectType;
    expect(Object.keys(product.getFields())).toEqual(expect.arrayContaining(['name', 'totalAvailable', 'campaigns', 'conversionStats']));
    const campaign = api.getType('Campaign') as GraphQLObjectType;
    expect(String(campaign.getFields().product?.type)).toBe('Product');
    const subscription = api.getSubscriptionType()!.getFields();
    expect(subscription.campaignStatsUpdated?.args.map((arg) => arg.name)).toEqual(['campaignId', 'after']);
    expect(subscription.conversionRegistered?.args.map((arg) => arg.name)).toEqual(['campaignId', 'after']);
  });

  it('gives every subscription an `after` argument and every streamed item a position', () => {
    const schema = trackingSchema();
    for (const field of Object.values(schema.getSubscriptionType()!.getFields())) {
      expect(field.args.find((arg) => arg.name === 'after')?.type.toString()).toBe('String');
      const item = schema.getType(String(field.type).replace(/!$/, '')) as GraphQLObjectType;
      expect(String(item.getFields().position?.type)).toBe('String!');
    }
  });

  it('names mutations verbNoun(input: VerbNounInput!): VerbNounPayload!', () => {
    const schema = trackingSchema();
    for (const [name, field] of Object.entries(schema.getMutationType()!.getFields())) {
      const type = name[0]!.toUpperCase() + name.slice(1);
      expect(field.args.map((arg) => `${arg.name}: ${String(arg.type)}`)).toEqual([`input: ${type}Input!`]);
      expect(String(field.type)).toBe(`${type}Payload!`);
    }
  });
});
