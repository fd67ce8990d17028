import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInventoryHarness, type InventoryHarness } from '../support/inventory-harness.js';
import { signedByRouter } from '../support/security.js';
import { ADD_STOCK, addStock, productAndStore } from '../inventory/integration/helpers.js';

// Each file starts its own database and server, which is slow on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let harness: InventoryHarness;
let key: { productId: string; storeId: string };

beforeAll(async () => {
  harness = await startInventoryHarness();
  key = await productAndStore(harness, 'lean');
  await addStock(harness, key, 7);
  await productAndStore(harness, 'lean-2');
});

afterAll(async () => {
  await harness?.close();
});

/** One raw HTTP exchange with the subgraph, as the router would sign it. */
interface Exchange {
  readonly status: number;
  readonly contentType: string | null;
  readonly chunked: boolean;
  readonly text: string;
}

/**
 * `*\/*` takes the short path; `application/json;q=0.9` negotiates the same content type but has a
 * q-value, which the short path leaves to Apollo Server: the reference answer. The same pair for
 * the GraphQL response type: what Hive Gateway sends, and a reference with q-values.
 */
const SHORT = '*/*';
const APOLLO = 'application/json;q=0.9';
const SHORT_GRAPHQL_RESPONSE = 'application/graphql-response+json, application/json, multipart/mixed';
const APOLLO_GRAPHQL_RESPONSE = 'application/graphql-response+json;q=1, application/json;q=0.9';

async function post(body: string, accept: string, headers: Record<string, string> = {}): Promise<Exchange> {
  const response = await fetch(harness.url, {
    method: 'POST',
    headers: { ...(await signedByRouter({ correlationId: 'lean-1' })), 'content-type': 'application/json', accept, ...headers },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    chunked: response.headers.get('transfer-encoding') === 'chunked',
    text: await response.text(),
  };
}

const body = (query: string, variables?: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ query, variables, ...extra });

const PRODUCTS_PAGE = `query Page($first: Int!, $after: String, $search: String) {
  products(first: $first, after: $after, search: $search) {
    edges { cursor node { id sku name totalAvailable createdAt stockLevels { id storeId total reserved available isLow updatedAt } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** Requests the short path answers: it must answer each exactly as Apollo Server does. */
const served: Record<string, () => string> = {
  'a products page': () => body(PRODUCTS_PAGE, { first: 1 }),
  'a products search': () => body(PRODUCTS_PAGE, { first: 5, search: 'lean' }),
  'a typename': () => body('{ __typename }'),
  'the service SDL': () => body('{ _service { sdl } }'),
  entities: () =>
    body('query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id name } ... on StockLevel { total available } } }', {
      r: [
        { __typename: 'Product', id: key.productId },
        { __typename: 'Product', id: 'missing' },
        { __typename: 'StockLevel', ...key },
      ],
    }),
  introspection: () => body('{ __schema { queryType { name } types { name } } }'),
  'a named operation among several': () =>
    body('query A { __typename } query B { stores(first: 1) { edges { node { id } } } }', undefined, { operationName: 'B' }),
  'a refused command': () => body(ADD_STOCK, { input: { productId: 'nope', storeId: key.storeId, quantity: 1 } }),
  'null variables and extensions': () => body('{ __typename }', null, { extensions: null, operationName: null }),
  'skip and include on fields and fragments': () =>
    body(
      `query($yes: Boolean!, $no: Boolean!) {
        a: product(id: "${key.productId}") { ...names @include(if: $yes) ...levels @skip(if: $yes) sku @skip(if: $no) }
        b: product(id: "${key.productId}") { ... on Product @include(if: $no) { name } id @include(if: $yes) }
      }
      fragment names on Product { name description }
      fragment levels on Product { stockLevels { total } }`,
      { yes: true, no: false },
    ),
  'aliases, typenames and nested lists': () =>
    body(`{ stores(first: 5) { edges { node { __typename id key: name stockLevels { __typename available product { id } } } } } }`),
  'a past stock level': () =>
    body('query($p: ID!, $s: ID!, $at: DateTime!) { stockLevelAt(productId: $p, storeId: $s, at: $at) { id total updatedAt } }', {
      p: key.productId,
      s: key.storeId,
      at: new Date(Date.now() + 60_000).toISOString(),
    }),
  'defaults of arguments and variables': () => body('query($first: Int = 1) { lowStock { edges { cursor } } products(first: $first) { edges { cursor } } }'),
};

/** Requests the short path leaves to Apollo Server: answered with its codes and statuses. */
const delegated: Record<string, () => string> = {
  'a syntax error': () => body('{ products('),
  'a validation error': () => body('{ nope }'),
  'variables that do not coerce': () => body(PRODUCTS_PAGE, { first: 'twenty' }),
  'a missing required variable': () => body(PRODUCTS_PAGE, {}),
  'several operations without a name': () => body('query A { __typename } query B { __typename }'),
  'an unknown operation name': () => body('{ __typename }', undefined, { operationName: 'Nope' }),
  'variables as a string': () => JSON.stringify({ query: '{ __typename }', variables: '{}' }),
  'no query': () => JSON.stringify({ variables: {} }),
  'a batch': () => JSON.stringify([{ query: '{ __typename }' }]),
  'a persisted query': () => JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
  'an Int given a fraction': () => body(ADD_STOCK, { input: { ...key, quantity: 1.5 } }),
  'an Int out of range': () => body(PRODUCTS_PAGE, { first: 2 ** 40 }),
  'a DateTime that does not parse': () =>
    body('query($at: DateTime!) { stockLevelAt(productId: "p", storeId: "s", at: $at) { id } }', { at: '2026-01-01T10:00:00' }),
  'an input missing a field': () => body(ADD_STOCK, { input: { productId: key.productId, quantity: 1 } }),
  'an input with an unknown field': () => body(ADD_STOCK, { input: { ...key, quantity: 1, extra: true } }),
  'null for a non-null variable': () => body(PRODUCTS_PAGE, { first: null }),
  // A query that meets errors runs again through Apollo Server (see the short path).
  'a page too large (a resolver error)': () => body(PRODUCTS_PAGE, { first: 10_000 }),
  'a bad cursor (a resolver error)': () => body(PRODUCTS_PAGE, { first: 2, after: '!!!' }),
};

describe('the short GraphQL path of a subgraph', () => {
  it('answers plain operations exactly as Apollo Server does, with a content length, in the content type it would negotiate', async () => {
    for (const [shortAccept, apolloAccept, contentType] of [
      [SHORT, APOLLO, 'application/json; charset=utf-8'],
      [SHORT_GRAPHQL_RESPONSE, APOLLO_GRAPHQL_RESPONSE, 'application/graphql-response+json; charset=utf-8'],
    ] as const) {
      for (const [what, make] of Object.entries(served)) {
        const short = await post(make(), shortAccept);
        const reference = await post(make(), apolloAccept);
        expect({ what, status: short.status, contentType: short.contentType, text: short.text }).toEqual({
          what,
          status: reference.status,
          contentType,
          text: reference.text,
        });
        expect(reference.contentType).toBe(contentType);
        // Only the short path sends a content length; Apollo's answers are chunked.
        expect({ what, chunked: short.chunked, referenceChunked: reference.chunked }).toEqual({ what, chunked: false, referenceChunked: true });
      }
    }
  });

  it('leaves request errors and other protocols to Apollo Server, with their codes', async () => {
    for (const [what, make] of Object.entries(delegated)) {
      const short = await post(make(), SHORT);
      const reference = await post(make(), APOLLO);
      expect({ what, status: short.status, text: short.text }).toEqual({ what, status: reference.status, text: reference.text });
      expect({ what, errors: Array.isArray((JSON.parse(short.text) as { errors?: unknown }).errors) }).toEqual({ what, errors: true });
    }
    const coercion = JSON.parse((await post(delegated['variables that do not coerce']!(), SHORT)).text) as { errors: Array<{ extensions: { code: string } }> };
    expect(coercion.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const syntax = JSON.parse((await post(delegated['a syntax error']!(), SHORT)).text) as { errors: Array<{ extensions: { code: string } }> };
    expect(syntax.errors[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('leaves other content types, other content negotiation and GET to Apollo Server', async () => {
    const query = body('{ __typename }');
    // Neither JSON type accepted: Apollo Server refuses it.
    const unacceptable = await post(query, 'text/html');
    expect(unacceptable.status).toBe(406);
    expect(unacceptable.chunked).toBe(true);
    // A simple (non-preflighted) content type is refused as a possible cross-site request.
    const simple = await post(query, SHORT, { 'content-type': 'text/plain' });
    expect(simple.status).toBe(400);
    // GET needs a header a browser would not send cross-origin (Apollo Server's CSRF prevention).
    const getHeaders = { ...(await signedByRouter()), 'apollo-require-preflight': 'true' };
    const get = await fetch(`${harness.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: getHeaders });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const getMutation = await fetch(`${harness.url}?query=${encodeURIComponent('mutation { __typename }')}`, { headers: getHeaders });
    expect(getMutation.status).toBe(405);
  });

  it('answers a body that is not JSON with 400, and repeats a document from its cache', async () => {
    const broken = await post('{"query": ', SHORT);
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toEqual({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    // The same text again, with other variables: answered from the cached document, each with its own data.
    const first = JSON.parse((await post(body(PRODUCTS_PAGE, { first: 1 }), SHORT)).text) as { data: { products: { edges: unknown[] } } };
    const two = JSON.parse((await post(body(PRODUCTS_PAGE, { first: 2 }), SHORT)).text) as { data: { products: { edges: unknown[] } } };
    expect(first.data.products.edges).toHaveLength(1);
    expect(two.data.products.edges).toHaveLength(2);
  });
});
