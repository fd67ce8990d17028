import { GraphQLError, parse } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../common/errors/coded-error.js';
import { startSubgraphServer, type RunningSubgraph } from '../../subgraphs/shared/server/subgraph-server.js';
import { signedByRouter, subgraphTrust } from '../support/security.js';

/** A subgraph whose fields fail in every way a resolver can, to compare both paths' error answers. */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Item @key(fields: "id") {
    id: ID!
    name: String!
    note: String
  }
  type Query {
    item(id: ID!): Item
    items: [Item!]
    maybeItems: [Item]!
    unexpected: String
    domain: String
    coded: String
    required: String!
    count: Int
  }
  type Mutation {
    first: Int!
    second: Int!
    failing: Int!
  }
`);

let unexpectedLogs = 0;
let server: RunningSubgraph;
let order: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'error' }, { write: (line: string) => (line.includes('unexpected error while resolving') ? (unexpectedLogs += 1) : undefined) });
  server = await startSubgraphServer(
    {
      name: 'failing',
      typeDefs,
      resolvers: {
        Query: {
          item: (_: unknown, args: { id: string }) => ({ id: args.id, name: args.id === 'nameless' ? null : `Item ${args.id}` }),
          items: () => [
            { id: 'a', name: 'A' },
            { id: 'b', name: null },
          ],
          maybeItems: () => [{ id: 'a', name: 'A' }, { id: 'b', name: null }, null],
          unexpected: () => {
            throw new Error('a secret the client must not see');
          },
          domain: async () => {
            throw new DomainError(ErrorCode.NOT_FOUND, 'thing x was not found', { id: 'x' });
          },
          coded: () => {
            throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN', reason: 'policy' } });
          },
          required: () => null,
          count: () => 'not a number',
        },
        Item: {
          __resolveReference: (reference: { id: string }) => (reference.id === 'gone' ? null : { id: reference.id, name: `Item ${reference.id}` }),
          note: (item: { id: string }) => {
            if (item.id === 'b') throw new Error('note failed');
            return `note ${item.id}`;
          },
        },
        Mutation: {
          first: async () => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push('first');
            return 1;
          },
          second: () => {
            order.push('second');
            return 2;
          },
          failing: () => {
            order.push('failing');
            throw new DomainError(ErrorCode.BAD_USER_INPUT, 'refused', { field: 'x' });
          },
        },
      },
      createContext: (base) => base,
    },
    { port: 0, logger, trust: subgraphTrust },
  );
});

afterAll(async () => {
  await server?.close();
});

async function post(query: string, accept: string, variables?: Record<string, unknown>) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { ...(await signedByRouter()), 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, chunked: response.headers.get('transfer-encoding') === 'chunked', text: await response.text() };
}

const CASES: Record<string, string> = {
  'an unexpected throw, masked': '{ unexpected count }',
  'a domain error, with its code': '{ domain }',
  'a coded GraphQL error': '{ coded }',
  'a null in a non-null root field': '{ required }',
  'a null in a non-null field of a list item': '{ items { id name } }',
  'nulls bubbling into a nullable list': '{ maybeItems { id name note } }',
  'a failing field of one item': '{ maybeItems { id note } }',
  'a leaf that does not serialize': '{ count }',
  'entities, one missing': '{ _entities(representations: [{ __typename: "Item", id: "a" }, { __typename: "Item", id: "gone" }]) { ... on Item { id note } } }',
  'an alias and a typename in errors': '{ x: item(id: "nameless") { __typename name } y: item(id: "b") { note } }',
};

describe('the short path answers resolver errors as Apollo Server does', () => {
  it('gives every failure the same status, body and field order', async () => {
    for (const [what, query] of Object.entries(CASES)) {
      const short = await post(query, '*/*');
      const reference = await post(query, 'application/json;q=0.9');
      expect({ what, status: short.status, text: short.text }).toEqual({ what, status: reference.status, text: reference.text });
    }
    const masked = JSON.parse((await post(CASES['an unexpected throw, masked']!, '*/*')).text) as {
      errors: Array<{ message: string; extensions: { code: string } }>;
    };
    expect(masked.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('logs unexpected errors on both paths, and only those', async () => {
    const before = unexpectedLogs;
    await post('{ unexpected }', '*/*');
    await post('{ domain coded }', '*/*');
    await post('{ unexpected }', 'application/json;q=0.9');
    expect(unexpectedLogs - before).toBe(2);
  });

  it('runs the fields of a mutation one after the other', async () => {
    order = [];
    const short = JSON.parse((await post('mutation { first second }', '*/*')).text) as unknown;
    expect(short).toEqual({ data: { first: 1, second: 2 } });
    expect(order).toEqual(['first', 'second']);
    // A failed non-null field nulls the whole answer: the fields after it do not run.
    order = [];
    const failed = await post('mutation { failing second }', '*/*');
    expect({ chunked: failed.chunked, order }).toEqual({ chunked: false, order: ['failing'] });
    order = [];
    const reference = await post('mutation { failing second }', 'application/json;q=0.9');
    expect({ status: failed.status, text: failed.text, order }).toEqual({ status: reference.status, text: reference.text, order: ['failing'] });
  });
});
