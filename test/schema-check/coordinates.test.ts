import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationsAffectedBy, usageCoordinatesOf } from '../../schema-tools/schema-check/change-usage.js';
import { collectSchemaCoordinates } from '../../schema-tools/schema-check/coordinates.js';
import type { ClientOperation } from '../../schema-tools/schema-check/operations.js';
import type { SchemaChange } from '../../schema-tools/schema-check/schema-diff.js';

const schema = buildSchema(`
  directive @cached(ttl: Int) on FIELD
  interface Node { id: ID! }
  type Product implements Node { id: ID! name: String! status: Status! }
  type Store implements Node { id: ID! name: String! }
  enum Status { ACTIVE RETIRED }
  input Filter { status: Status, nested: Range }
  input Range { from: Int, to: Int }
  type Query {
    node(id: ID!): Node
    products(filter: Filter, first: Int): [Product!]!
  }
`);

const coordinatesOf = (query: string) => [...collectSchemaCoordinates(schema, parse(query))].sort();

describe('collectSchemaCoordinates', () => {
  it('collects selected fields as Type.field, passed arguments as Type.field.arg', () => {
    expect(coordinatesOf('{ products(first: 2) { id name } }')).toEqual(
      ['ID', 'Product', 'Product.id', 'Product.name', 'Query', 'Query.products', 'Query.products.first', 'String'].sort(),
    );
  });

  it('collects literal input fields and enum values', () => {
    const coordinates = coordinatesOf('{ products(filter: { status: RETIRED }) { id } }');
    expect(coordinates).toEqual(expect.arrayContaining(['Filter', 'Filter.status', 'Status', 'Status.RETIRED']));
    expect(coordinates).not.toContain('Status.ACTIVE');
    expect(coordinates).not.toContain('Filter.nested');
  });

  it('treats a variable as using every input field and enum value reachable from its type', () => {
    const coordinates = coordinatesOf('query Q($f: Filter) { products(filter: $f) { id } }');
    expect(coordinates).toEqual(expect.arrayContaining(['Filter.status', 'Filter.nested', 'Range.from', 'Range.to', 'Status.ACTIVE', 'Status.RETIRED']));
  });

  it('maps fields selected on an interface to every implementation, and fragments to their types', () => {
    const coordinates = coordinatesOf('{ node(id: "1") { id ... on Product { status } } }');
    expect(coordinates).toEqual(expect.arrayContaining(['Node.id', 'Product.id', 'Store.id', 'Product.status', 'Status']));
  });

  it('collects directives and their arguments', () => {
    expect(coordinatesOf('{ products @cached(ttl: 5) { id } }')).toEqual(expect.arrayContaining(['@cached', '@cached.ttl']));
  });
});

const change = (type: string, path: string, meta: Record<string, unknown> = {}): SchemaChange => ({
  type,
  path,
  meta,
  message: '',
  criticality: 'breaking',
});

describe('usageCoordinatesOf', () => {
  it('matches a removal on its own path', () => {
    expect(usageCoordinatesOf(change('FIELD_REMOVED', 'Product.name'))).toEqual(['Product.name']);
    expect(usageCoordinatesOf(change('ENUM_VALUE_REMOVED', 'Status.RETIRED'))).toEqual(['Status.RETIRED']);
  });

  it('matches a new required argument on the field it was added to', () => {
    const added = change('FIELD_ARGUMENT_ADDED', 'Query.products.storeId', { typeName: 'Query', fieldName: 'products' });
    expect(usageCoordinatesOf(added)).toEqual(['Query.products']);
  });

  it('matches a new required input field, or one made non-null, on the input type', () => {
    expect(usageCoordinatesOf(change('INPUT_FIELD_ADDED', 'Filter.region', { inputName: 'Filter' }))).toEqual(['Filter']);
    const nonNull = change('INPUT_FIELD_TYPE_CHANGED', 'Range.from', {
      inputName: 'Range',
      oldInputFieldType: 'Int',
      newInputFieldType: 'Int!',
    });
    expect(usageCoordinatesOf(nonNull)).toEqual(['Range']);
  });

  it('finds the operations whose coordinates include the change', () => {
    const operation = (name: string, query: string): ClientOperation => ({
      name,
      file: `/ops/${name}.graphql`,
      line: 1,
      column: 1,
      document: parse(query),
    });
    const ops = [operation('Names', '{ products { name } }'), operation('Ids', '{ products { id } }')];
    const usages = ops.map((op) => ({ operation: op, coordinates: collectSchemaCoordinates(schema, op.document) }));
    expect(operationsAffectedBy(change('FIELD_REMOVED', 'Product.name'), usages).map((op) => op.name)).toEqual(['Names']);
  });
});
