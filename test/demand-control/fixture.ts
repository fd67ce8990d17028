import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { costSchemaFromSupergraphSdl, type CostSchema } from '../../router/demand-control/index.js';

/** A small shop whose weights and sizes exercise every cost rule. */
export const SHOP_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])

type Query {
  product(id: ID!): Product
  products(first: Int = 5, after: String): ProductConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"], requireOneSlicingArgument: false)
  search(first: Int, last: Int): [Product!]! @listSize(slicingArguments: ["first", "last"])
  top: [Product!]! @listSize(assumedSize: 3)
  unsized: [Product!]!
  report(filter: ReportFilter @cost(weight: 4)): Report @cost(weight: 20)
  node(id: ID!): Node
}

type Mutation {
  rename(input: RenameInput!): Product
}

type Subscription {
  productChanged(id: ID! @cost(weight: 2)): Product
}

interface Node {
  id: ID!
}

type Product implements Node @key(fields: "id") {
  id: ID!
  name: String!
  price: Money
  reviews(first: Int = 2): [Review!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
}

type Review implements Node {
  id: ID!
  stars: Int!
}

type Money @cost(weight: 3) {
  amount: Int!
}

enum Grade @cost(weight: 2) {
  A
  B
}

scalar Expensive @cost(weight: 7)

type ProductConnection {
  edges: [ProductEdge!]!
}

type ProductEdge {
  node: Product!
}

input ReportFilter {
  tags: [String!] @cost(weight: 1)
  depth: Int
}

input RenameInput {
  id: ID!
  name: String!
}

type Report {
  grade: Grade!
  blob: Expensive
}
`;

/** Composes subgraph SDLs into a supergraph SDL, failing on composition errors. */
export function compose(subgraphs: Record<string, string>): string {
  const result = composeServices(Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

/** The shop's cost schema, read back from its composed supergraph. */
export const shopCostSchema = (): CostSchema => costSchemaFromSupergraphSdl(compose({ shop: SHOP_SDL }));
