import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../router/demand-control/index.js';
import { EstimateMemo } from '../../router/demand-control/estimate-memo.js';
import { shopCostSchema } from './fixture.js';

const shop = shopCostSchema();

function documentOf(text: string) {
  const document = parse(text);
  expect(validate(shop.schema, document)).toEqual([]);
  return document;
}

describe('remembered cost estimates', () => {
  it('depend only on the variables that weigh: an id or a cursor is not read, a slicing argument and a weighted input are', () => {
    const byId = estimateCost(
      { document: documentOf('query($id: ID!) { product(id: $id) { name reviews(first: 3) { stars } } }'), variables: { id: '1' } },
      shop,
    );
    expect(byId.variablesRead).toEqual([]);
    const page = estimateCost(
      {
        document: documentOf('query($n: Int, $after: String) { products(first: $n, after: $after) { edges { node { id } } } }'),
        variables: { n: 3, after: 'x' },
      },
      shop,
    );
    expect(page.variablesRead).toEqual(['n']);
    const report = estimateCost(
      {
        document: documentOf('query($f: ReportFilter, $show: Boolean!) { report(filter: $f) @include(if: $show) { grade } }'),
        variables: { f: { tags: ['a'] }, show: true },
      },
      shop,
    );
    expect(report.variablesRead).toEqual(['f', 'show']);
  });

  it('give every request the estimate a fresh one would, whatever its other variables', () => {
    const memo = new EstimateMemo();
    const document = documentOf(
      'query($n: Int, $after: String, $show: Boolean!) { products(first: $n, after: $after) { edges { node { id reviews @include(if: $show) { stars } } } } }',
    );
    const requests = [
      { n: 3, after: 'a', show: true },
      { n: 3, after: 'b', show: true },
      { n: 7, after: 'a', show: true },
      { n: 3, after: 'c', show: false },
      { after: 'd', show: true },
      { n: null, after: 'e', show: true },
      { n: 3, after: 'f', show: true },
    ];
    for (const variables of requests) {
      expect(memo.estimate({ document, variables }, shop)).toBe(estimateCost({ document, variables }, shop).cost);
    }
  });

  it('tell operations of one document apart by name', () => {
    const memo = new EstimateMemo();
    const document = documentOf('query Small { top { id } } query Large { unsized { id } }');
    expect(memo.estimate({ document, operationName: 'Small' }, shop)).toBe(3);
    expect(memo.estimate({ document, operationName: 'Large' }, shop)).toBe(10);
    expect(memo.estimate({ document, operationName: 'Small' }, shop)).toBe(3);
  });
});
