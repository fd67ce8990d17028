import { readFileSync, readdirSync } from 'node:fs';
import { Kind, getIntrospectionQuery, parse, type DocumentNode } from 'graphql';
import { loadOperationTabs } from '../../router/playground/operation-tabs.js';

const repository = new URL('../../', import.meta.url);

/** The composed supergraph the router serves. */
export const supergraphSdl = (): string => readFileSync(new URL('schema/supergraph.graphql', repository), 'utf8');

/** An operation a client of the product sends, with the variables it is shown with. */
export interface ShippedOperation {
  readonly name: string;
  readonly text: string;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
}

/**
 * Every operation the product ships: each file under schema/operations/ (whole, as the schema
 * check reads it), each example tab of the playground (one operation with its fragments and
 * example variables), and the introspection queries GraphiQL sends (as @graphiql/react builds
 * it, and with every option graphql-js offers).
 */
export function shippedOperations(): ShippedOperation[] {
  const folder = new URL('schema/operations/', repository);
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const operations: ShippedOperation[] = [];
  for (const file of files) {
    const text = readFileSync(new URL(file, folder), 'utf8');
    const document = parse(text);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      operations.push({ name: `${file} ${definition.name?.value ?? ''}`, text, document, operationName: definition.name?.value, variables: {} });
    }
  }
  for (const [index, tab] of loadOperationTabs().entries()) {
    operations.push({
      name: `playground tab ${index + 1}`,
      text: tab.query,
      document: parse(tab.query),
      operationName: undefined,
      variables: tab.variables === undefined ? {} : (JSON.parse(tab.variables) as Record<string, unknown>),
    });
  }
  const introspections = {
    'GraphiQL introspection': getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }),
    'full introspection': getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      oneOf: true,
    }),
  };
  for (const [name, text] of Object.entries(introspections)) operations.push({ name, text, document: parse(text), operationName: undefined, variables: {} });
  return operations;
}

/**
 * `products(first: 1) { edges { node { campaigns { product { campaigns … } } } } }`, alternating
 * between the inventory and tracking subgraphs until the path is `depth` fields long.
 */
export function productCampaignCycle(depth: number): string {
  const path = ['products(first: 1)', 'edges', 'node'];
  while (path.length < depth - 1) path.push(path.length % 2 === 1 ? 'campaigns' : 'product');
  return `{ ${path.map((field) => `${field} { `).join('')}id${' }'.repeat(path.length)} }`;
}

/** `count` aliases of `products(first: <first>)`, each selecting its nodes' id and name. */
export function aliasedProducts(count: number, first: number): string {
  return `{ ${Array.from({ length: count }, (_, index) => `p${index}: products(first: ${first}) { edges { node { id name } } }`).join(' ')} }`;
}
