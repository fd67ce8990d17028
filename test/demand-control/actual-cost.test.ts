import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualCost, checkCostBudget, costExtension, estimateCost } from '../../router/demand-control/index.js';
import { shopCostSchema } from './fixture.js';

const shop = shopCostSchema();

const actual = (text: string, data: Record<string, unknown> | null, variables: Record<string, unknown> = {}) =>
  actualCost({ document: parse(text), variables }, data, shop);
const estimated = (text: string, variables: Record<string, unknown> = {}) => estimateCost({ document: parse(text), variables }, shop).cost;

const review = (stars: number) => ({ stars });
const product = (reviews: number) => ({ reviews: Array.from({ length: reviews }, (_, index) => review(index)) });

describe('actual cost', () => {
  it('counts the lists of a result at their real lengths', () => {
    const query = '{ products(first: 3) { edges { node { id } } } }';
    expect(estimated(query)).toBe(7);
    // Two edges came back, not three.
    expect(actual(query, { products: { edges: [{ node: { id: '1' } }, { node: { id: '2' } }] } })).toBe(1 + 2 * 2);
  });

  it('equals the estimate when every list has its estimated size and nothing is null', () => {
    const query = '{ top { reviews { stars } } }';
    expect(actual(query, { top: [product(2), product(2), product(2)] })).toBe(estimated(query));
    expect(actual(query, { top: [product(0), product(5)] })).toBe(2 + 5);
  });

  it('counts nothing for null values and fields missing from the result', () => {
    expect(actual('{ product(id: "1") { price { amount } } }', { product: null })).toBe(0);
    expect(actual('{ product(id: "1") { price { amount } } }', { product: { price: null } })).toBe(1);
    expect(actual('{ product(id: "1") { price { amount } } }', null)).toBe(0);
  });

  it('keeps the weights, argument costs and mutation base of the estimate', () => {
    const report = '{ report(filter: { tags: ["a", "b"] }) { grade blob } }';
    expect(actual(report, { report: { grade: 'A', blob: 'x' } })).toBe(estimated(report));
    const rename = 'mutation { rename(input: { id: "1", name: "x" }) { id } }';
    expect(actual(rename, { rename: { id: '1' } })).toBe(12);
    expect(actual(rename, { rename: null })).toBe(11);
  });

  it('costs one subscription event by its selection, the arguments having been paid at subscribe time', () => {
    const subscription = 'subscription { productChanged(id: "1") { price { amount } } }';
    const { perEvent } = estimateCost({ document: parse(subscription) }, shop);
    expect(actual(subscription, { productChanged: { price: { amount: 3 } } })).toBe(perEvent);
    expect(actual(subscription, { productChanged: { price: null } })).toBe(1);
  });

  it('costs an abstract value by its __typename, else by its dearest possible type', () => {
    const query = '{ node(id: "1") { __typename ... on Product { price { amount } } ... on Review { stars } } }';
    expect(actual(query, { node: { __typename: 'Review', stars: 4 } })).toBe(1);
    expect(actual(query, { node: { __typename: 'Product', price: { amount: 1 } } })).toBe(4);
    const untyped = '{ node(id: "1") { ... on Product { price { amount } } } }';
    expect(actual(untyped, { node: { price: { amount: 1 } } })).toBe(4);
  });

  it('follows aliases and fragments into the result', () => {
    const query = '{ first: top { ...Priced } second: top { id } } fragment Priced on Product { price { amount } }';
    expect(actual(query, { first: [{ price: { amount: 1 } }], second: [{ id: '1' }, { id: '2' }] })).toBe(4 + 2);
  });
});

describe('cost budget and report', () => {
  it('refuses an estimate over the budget with COST_ESTIMATED_TOO_EXPENSIVE, the estimate and the budget', () => {
    expect(checkCostBudget(100, 100)).toBeUndefined();
    const refused = checkCostBudget(101, 100);
    expect(refused?.extensions).toEqual({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 101, budget: 100 } });
    expect(refused?.message).toBe("The operation's estimated cost of 101 is over the budget of 100: select fewer or smaller lists.");
  });

  it('reports the estimate, the actual cost when measured, and the budget in extensions.cost', () => {
    expect(costExtension({ estimated: 7, actual: 5, budget: 25_000 })).toEqual({ cost: { estimated: 7, actual: 5, budget: 25_000 } });
    expect(costExtension({ estimated: 7, budget: 25_000 })).toEqual({ cost: { estimated: 7, budget: 25_000 } });
  });
});
