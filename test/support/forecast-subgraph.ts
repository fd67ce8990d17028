import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { apolloRequestHandler } from '../../subgraphs/shared/server/apollo-http.js';

/**
 * A test-only subgraph that adds `forecast` to inventory's StockLevel, so router tests can prove a
 * subscription enriched with a field from a second subgraph. It counts the entity fetches it
 * serves (each one is one enrichment step of the router).
 */
export const forecastTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes", "@policy"])
  type StockLevel @key(fields: "productId storeId") {
    productId: ID!
    storeId: ID!
    "Units expected next week: a deterministic function of the key, for assertions."
    forecast: Int!
    "How sure the forecast is: only for callers with the forecast:read scope."
    forecastConfidence: Float @requiresScopes(scopes: [["forecast:read"]])
    "The planner's note: only for callers granted the planner policy."
    plannerNote: String @policy(policies: [["planner"]])
  }
  type Query {
    forecastVersion: String!
  }
`);

export interface ForecastSubgraph {
  readonly url: string;
  /** Entity fetch requests received (one per router enrichment touching this subgraph). */
  readonly entityFetches: () => number;
  close(): Promise<void>;
}

export const expectedForecast = (productId: string, storeId: string): number => (productId.length * 10 + storeId.length) % 97;

export async function startForecastSubgraph(): Promise<ForecastSubgraph> {
  let entityFetches = 0;
  const schema = buildSubgraphSchema({
    typeDefs: forecastTypeDefs,
    resolvers: {
      Query: { forecastVersion: () => '1' },
      StockLevel: {
        __resolveReference: (reference: { productId: string; storeId: string }) => reference,
        forecast: (level: { productId: string; storeId: string }) => expectedForecast(level.productId, level.storeId),
        forecastConfidence: () => 0.75,
        plannerNote: (level: { productId: string }) => `restock ${level.productId}`,
      },
    },
  });
  const apollo = new ApolloServer({
    schema,
    plugins: [
      {
        async requestDidStart(request) {
          if (request.request.query?.includes('_entities')) entityFetches += 1;
        },
      },
    ],
  });
  await apollo.start();
  const handle = apolloRequestHandler(apollo, async () => ({}));
  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    entityFetches: () => entityFetches,
    close: async () => {
      await apollo.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
