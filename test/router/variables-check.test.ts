import { buildSchema, getVariableValues, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { variablesAreValid } from '../../router/execution/variables-check.js';
import { DateTimeScalar } from '../../subgraphs/shared/graphql/scalars.js';

const schema: GraphQLSchema = buildSchema(`
  scalar DateTime
  enum Platform { INSTAGRAM TIKTOK }
  input ImpressionInput { id: ID!, influencerId: ID!, occurredAt: DateTime }
  input BatchInput { campaignId: ID!, impressions: [ImpressionInput!]!, note: String = "none", weight: Float }
  input Filter { platform: Platform, any: [Filter!], limit: Int! = 10 }
  input Choice @oneOf { byId: ID, byHandle: String }
  type Query { ok(batch: BatchInput, filter: Filter, choice: Choice, ids: [ID], count: Int, flag: Boolean!, at: DateTime): Boolean }
`);
Object.assign(schema.getType('DateTime')!, { parseValue: DateTimeScalar.parseValue });

const operation = (variables: string): OperationDefinitionNode => parse(`query(${variables}) { ok }`).definitions[0] as OperationDefinitionNode;

/** What graphql-js itself says: no errors means the variables coerce. */
const graphqlAccepts = (node: OperationDefinitionNode, values: Record<string, unknown>) =>
  getVariableValues(schema, node.variableDefinitions ?? [], values).errors === undefined;

const batchOperation = operation('$batch: BatchInput!, $flag: Boolean! = true');
const impression = (index: number) => ({ id: `imp-${index}`, influencerId: 'inf-1', occurredAt: '2026-11-25T03:00:00.000Z' });

describe('variablesAreValid', () => {
  it('accepts what graphql-js coerces without an error', () => {
    const cases: Array<[OperationDefinitionNode, Record<string, unknown>]> = [
      [batchOperation, { batch: { campaignId: 'c', impressions: Array.from({ length: 1000 }, (_, index) => impression(index)) } }],
      [batchOperation, { batch: { campaignId: 7, impressions: [{ id: 'a', influencerId: 'b' }], note: null, weight: 1.5 }, flag: false }],
      // A single item where a list is expected is a list of one.
      [batchOperation, { batch: { campaignId: 'c', impressions: { id: 'a', influencerId: 'b', occurredAt: null } } }],
      [operation('$filter: Filter'), { filter: { platform: 'TIKTOK', any: [{ any: [{ platform: null }] }] } }],
      [operation('$filter: Filter'), {}],
      [operation('$ids: [ID], $count: Int, $at: DateTime'), { ids: ['a', 2, null], count: 2_147_483_647, at: '2026-11-25T04:00:00+01:00' }],
      [operation('$ids: [ID]'), { ids: 'single' }],
      [operation('$flag: Boolean!'), { flag: true }],
    ];
    for (const [node, values] of cases) {
      expect(graphqlAccepts(node, values)).toBe(true);
      expect(variablesAreValid(schema, node, values)).toBe(true);
    }
  });

  it('rejects what graphql-js reports, so the caller can word the errors', () => {
    const many = Array.from({ length: 1000 }, (_, index) => impression(index));
    const cases: Array<[OperationDefinitionNode, Record<string, unknown>]> = [
      [batchOperation, {}],
      [batchOperation, { batch: null }],
      [batchOperation, { batch: { impressions: [] } }],
      [batchOperation, { batch: { campaignId: 'c', impressions: [...many.slice(0, 999), { id: 'x' }] } }],
      [batchOperation, { batch: { campaignId: 'c', impressions: [...many.slice(0, 999), { ...impression(999), occurredAt: 'yesterday' }] } }],
      [batchOperation, { batch: { campaignId: 'c', impressions: [null] } }],
      [batchOperation, { batch: { campaignId: 'c', impressions: [], unknown: 1 } }],
      [batchOperation, { batch: { campaignId: 1.5, impressions: [] } }],
      [batchOperation, { batch: { campaignId: 'c', impressions: [] }, flag: 'yes' }],
      [batchOperation, { batch: 'not an object' }],
      [operation('$filter: Filter'), { filter: { platform: 'YOUTUBE' } }],
      [operation('$filter: Filter'), { filter: { limit: null } }],
      [operation('$count: Int'), { count: 2_147_483_648 }],
      [operation('$flag: Boolean!'), { flag: null }],
      [operation('$flag: Boolean!'), {}],
      [operation('$ids: [ID]'), { ids: [{}] }],
      [operation('$nope: Query'), {}],
      [operation('$missing: NoSuchType'), { missing: 1 }],
    ];
    for (const [node, values] of cases) {
      expect(graphqlAccepts(node, values)).toBe(false);
      expect(variablesAreValid(schema, node, values)).toBe(false);
    }
  });

  it('leaves oneOf input objects to graphql-js', () => {
    const node = operation('$choice: Choice');
    expect(graphqlAccepts(node, { choice: { byId: 'x' } })).toBe(true);
    expect(variablesAreValid(schema, node, { choice: { byId: 'x' } })).toBe(false);
    // Omitted, it has nothing to check.
    expect(variablesAreValid(schema, node, {})).toBe(true);
  });
});
