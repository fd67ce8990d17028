import { join } from 'node:path';
import { printSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { apiSchemaOf } from '../../schema-tools/composition/api-schema.js';
import { composeSubgraphs } from '../../schema-tools/composition/compose-subgraphs.js';
import { formatCompositionErrors } from '../../schema-tools/composition/format-composition.js';
import { gatewayLoadProblem } from '../../schema-tools/composition/gateway-compatibility.js';
import { loadSupergraphConfig } from '../../schema-tools/composition/supergraph-config.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT } from './helpers.js';

afterAll(removeWorkspaces);

async function compose(fixture: string) {
  const dir = await workspace(fixture, 'none');
  return { dir, result: composeSubgraphs(await loadSupergraphConfig(join(dir, 'supergraph.yaml'))) };
}

describe('composeSubgraphs', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('composes Federation 2 subgraphs into a supergraph whose API schema has no federation machinery', async () => {
    const { result } = await compose('safe-changes');
    if (!result.ok) throw new Error('expected composition to succeed');
    expect(result.supergraphSdl).toContain('@join__graph(name: "inventory", url: "http://localhost:4002/graphql")');
    const api = printSchema(apiSchemaOf(result.supergraphSdl));
    expect(api).toContain('campaigns: [Campaign!]!');
    expect(api).not.toMatch(/join__|link__|@key/);
  });

  it('reports a conflicting field type against both subgraphs, with positions in each file', async () => {
    const { dir, result } = await compose('conflicting-field-type');
    if (result.ok) throw new Error('expected composition to fail');
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error).toMatchObject({
      code: 'FIELD_TYPE_MISMATCH',
      subgraphs: ['inventory', 'tracking'],
      locations: [
        { subgraph: 'inventory', file: join(dir, 'subgraphs/inventory.graphql'), line: 43, column: 3 },
        { subgraph: 'tracking', file: join(dir, 'subgraphs/tracking.graphql'), line: 21, column: 3 },
      ],
    });
    expect(error?.subgraph).toBeUndefined();
    expect(error?.message).toContain('"Money.amount"');
  });

  it('attributes an invalid @key to the subgraph that declares it', async () => {
    const { dir, result } = await compose('invalid-key');
    if (result.ok) throw new Error('expected composition to fail');
    expect(result.errors).toEqual([
      expect.objectContaining({
        subgraph: 'tracking',
        subgraphs: ['tracking'],
        code: 'KEY_INVALID_FIELDS',
        locations: expect.arrayContaining([expect.objectContaining({ file: join(dir, 'subgraphs/tracking.graphql'), line: 15 })]),
      }),
    ]);
  });

  it('reports a syntax error in a subgraph schema as an error of that subgraph', () => {
    const result = composeSubgraphs({
      subgraphs: [{ name: 'inventory', routingUrl: 'http://x', schemaFile: '/repo/inventory.graphql', sdl: 'type Query {\n  a: String\n' }],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          subgraph: 'inventory',
          subgraphs: ['inventory'],
          code: 'INVALID_GRAPHQL',
          message: '[inventory] Syntax Error: Expected Name, found <EOF>.',
          locations: [{ subgraph: 'inventory', file: '/repo/inventory.graphql', line: 3, column: 1 }],
        },
      ],
    });
  });

  it('formats errors grouped by subgraph with file:line:column', async () => {
    const { dir, result } = await compose('invalid-key');
    if (result.ok) throw new Error('expected composition to fail');
    const text = formatCompositionErrors(result.errors, { cwd: dir }).join('\n');
    expect(text).toMatch(/^subgraph tracking\n {2}✖ \[KEY_INVALID_FIELDS\] On type "Product"/);
    expect(text).toContain('at subgraphs/tracking.graphql:15:');
  });

  it('flags a supergraph that composes but that @apollo/gateway cannot load', () => {
    const sdl = [
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@context", "@fromContext"])',
      'type Query { store: Store }',
      'type Store @key(fields: "id") @context(name: "store") { id: ID! currency: String! product: Product }',
      'type Product @key(fields: "id") { id: ID! price(currency: String @fromContext(field: "$store { currency }")): Int }',
    ].join('\n');
    const result = composeSubgraphs({ subgraphs: [{ name: 'inventory', routingUrl: 'http://x', sdl }] });
    if (!result.ok) throw new Error('expected composition to succeed');
    expect(gatewayLoadProblem(result.supergraphSdl)).toMatch(/context\/v0\.1 .*unsupported/);
  });
});
