import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costSchemaFromSupergraphSdl, estimateCost, MAX_COST } from '../../router/demand-control/index.js';
import { compose, SHOP_SDL, shopCostSchema } from './fixture.js';

const shop = shopCostSchema();

/** The estimate of a valid operation of the shop. */
function estimate(text: string, variables: Record<string, unknown> = {}, options = {}) {
  const document = parse(text);
  expect(validate(shop.schema, document)).toEqual([]);
  return estimateCost({ document, variables }, shop, options);
}

describe('cost estimates', () => {
  it('weigh objects 1 and scalars 0, and a type or field @cost instead', () => {
    expect(estimate('{ product(id: "1") { id name } }').cost).toBe(1);
    // Money weighs 3 by its type's @cost.
    expect(estimate('{ product(id: "1") { price { amount } } }').cost).toBe(4);
    // report weighs 20 by its field's @cost; Grade (an enum) 2 and Expensive (a scalar) 7 by their types'.
    expect(estimate('{ report { grade blob } }').cost).toBe(29);
  });

  it('multiply a list by its slicing argument: given, through a variable, its variable default or its schema default', () => {
    // The connection 1, plus first × (edge 1 + node 1).
    expect(estimate('{ products(first: 3) { edges { node { id } } } }').cost).toBe(7);
    expect(estimate('query($n: Int) { products(first: $n) { edges { node { id } } } }', { n: 7 }).cost).toBe(15);
    expect(estimate('query($n: Int = 4) { products(first: $n) { edges { node { id } } } }').cost).toBe(9);
    expect(estimate('{ products { edges { node { id } } } }').cost).toBe(11);
  });

  it('size a list without slicing arguments by its assumedSize, else by the default list size', () => {
    expect(estimate('{ top { id } }').cost).toBe(3);
    expect(estimate('{ unsized { id } }').cost).toBe(10);
    expect(estimate('{ unsized { id } }', {}, { defaultListSize: 2 }).cost).toBe(2);
  });

  it('multiply nested lists', () => {
    expect(estimate('{ top { reviews { stars } } }').cost).toBe(3 * (1 + 2));
    expect(estimate('{ top { reviews(first: 5) { stars } } }').cost).toBe(3 * (1 + 5));
  });

  it('require exactly one slicing argument where the schema says so', () => {
    expect(estimate('{ search(last: 4) { id } }').cost).toBe(4);
    expect(() => estimate('{ search(first: 4, last: 6) { id } }')).toThrow('Query.search needs exactly one of first, last, found 2.');
    try {
      estimate('{ search { id } }');
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toEqual({ code: 'BAD_USER_INPUT' });
    }
  });

  it('add argument and input field weights; an input object weighs 1 unless weighted', () => {
    // 29 for the selection; the filter argument 4, its tags list 1 and each tag 1 more.
    expect(estimate('{ report(filter: { tags: ["a", "b"], depth: 2 }) { grade blob } }').cost).toBe(29 + 4 + 1 + 2);
    expect(estimate('query($filter: ReportFilter) { report(filter: $filter) { grade } }', { filter: { tags: ['a'] } }).cost).toBe(22 + 4 + 1 + 1);
  });

  it('add 10 to a mutation', () => {
    // The product 1, the input object 1.
    expect(estimate('mutation { rename(input: { id: "1", name: "x" }) { id } }').cost).toBe(10 + 1 + 1);
  });

  it('cost a subscription at subscribe time and per event, the arguments paid once', () => {
    expect(estimate('subscription { productChanged(id: "1") { price { amount } } }')).toMatchObject({ cost: 1 + 3 + 2, perEvent: 1 + 3 });
  });

  it('follow fragments and inline fragments, and honour @skip and @include', () => {
    expect(estimate('{ top { ...Priced } } fragment Priced on Product { price { amount } }').cost).toBe(3 * 4);
    expect(estimate('{ top { ... on Product { price { amount } } } }').cost).toBe(3 * 4);
    const skippable = 'query($skip: Boolean!) { top { id price @skip(if: $skip) { amount } } }';
    expect(estimate(skippable, { skip: true }).cost).toBe(3);
    expect(estimate(skippable, { skip: false }).cost).toBe(12);
    expect(estimate('{ top { id ... @include(if: false) { price { amount } } } }').cost).toBe(3);
  });

  it('count aliases apart and merge repeated selections of one response key', () => {
    expect(estimate('{ a: top { id } b: top { id } }').cost).toBe(6);
    expect(estimate('{ top { id } top { price { amount } } }').cost).toBe(12);
  });

  it('cost an abstract type as its most expensive possible type', () => {
    expect(estimate('{ node(id: "1") { id ... on Product { price { amount } } ... on Review { stars } } }').cost).toBe(4);
  });

  it('leave introspection and __typename free', () => {
    expect(estimate('{ __schema { types { name fields { name type { name } } } } }').cost).toBe(0);
    expect(estimate('{ __typename top { __typename id } }').cost).toBe(3);
  });

  it('saturate rather than overflow, and give up on operations too large to walk', () => {
    const huge = 2_147_483_647;
    expect(estimate(`{ top { reviews(first: ${huge}) { id } } }`).cost).toBe(3 * (1 + huge));
    // huge × (2 + huge) is past 2^53: the estimate stops at MAX_COST.
    expect(estimate(`{ products(first: ${huge}) { edges { node { reviews(first: ${huge}) { id } } } } }`).cost).toBe(MAX_COST);
    const many = `{ ${Array.from({ length: 50 }, (_, index) => `t${index}: top { id }`).join(' ')} }`;
    expect(estimate(many, {}, { maxVisits: 20 })).toMatchObject({ cost: MAX_COST });
  });

  it('read the directives under the names the cost link gives them', () => {
    const renamed = SHOP_SDL.replace('import: ["@cost", "@listSize"]', 'as: "weigh", import: [{ name: "@listSize", as: "@size" }]')
      .replaceAll('@cost(', '@weigh(')
      .replaceAll('@listSize(', '@size(');
    const supergraph = compose({ shop: renamed });
    expect(supergraph).toContain('@size(');
    const costs = costSchemaFromSupergraphSdl(supergraph);
    expect(costs.directives.listSize('Query', 'top')).toEqual({ assumedSize: 3, slicingArguments: [], sizedFields: [], requireOneSlicingArgument: true });
    expect(costs.directives.typeWeight('Money')).toBe(3);
    expect(estimateCost({ document: parse('{ top { price { amount } } }') }, costs).cost).toBe(12);
  });
});
