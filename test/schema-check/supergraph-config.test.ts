import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { federationVersionWarning, parseFederationVersion } from '../../schema-tools/composition/federation-version.js';
import { loadSupergraphConfig, SupergraphConfigError } from '../../schema-tools/composition/supergraph-config.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'supergraph-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(yaml: string): Promise<SupergraphConfigError> {
  const path = join(dir, 'supergraph.yaml');
  await writeFile(path, yaml);
  const error = await loadSupergraphConfig(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SupergraphConfigError);
  return error as SupergraphConfigError;
}

describe('loadSupergraphConfig', () => {
  it('reads subgraphs with schema files resolved relative to the yaml', async () => {
    await writeFile(join(dir, 'a.graphql'), 'type Query { a: String }');
    await writeFile(
      join(dir, 'supergraph.yaml'),
      'federation_version: =2.7.1\nsubgraphs:\n  a:\n    routing_url: http://localhost:4001/graphql\n    schema:\n      file: ./a.graphql\n',
    );
    const config = await loadSupergraphConfig(join(dir, 'supergraph.yaml'));
    expect(config.federationVersion).toEqual({ raw: '=2.7.1', major: 2, exact: '2.7.1' });
    expect(config.subgraphs).toEqual([
      {
        name: 'a',
        routingUrl: 'http://localhost:4001/graphql',
        schemaFile: join(dir, 'a.graphql'),
        sdl: 'type Query { a: String }',
      },
    ]);
  });

  it('reports a missing config file', async () => {
    const error = await loadSupergraphConfig(join(dir, 'nope.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupergraphConfigError);
    expect((error as SupergraphConfigError).problems).toEqual(['file not found']);
  });

  it('reports yaml syntax errors with their position', async () => {
    const error = await configError('subgraphs:\n  a: [unclosed\n');
    expect(error.message).toMatch(/line \d+/);
  });

  it('lists every problem at once, each with the key it is about', async () => {
    const error = await configError(
      [
        'federation_version: =1.1.0',
        'subgrafs: {}',
        'subgraphs:',
        '  inventory:',
        '    schema:',
        '      file: ./missing.graphql',
        '  tracking:',
        '    routing_url: http://localhost:4003/graphql',
        '    schema:',
        '      subgraph_url: http://localhost:4003/graphql',
      ].join('\n'),
    );
    expect(error.problems).toEqual([
      'subgrafs: unknown key (expected federation_version, subgraphs)',
      'federation_version "=1.1.0" is not Federation 2; only Federation 2 is supported',
      'subgraphs.inventory.routing_url: is required (a URL string)',
      `subgraphs.inventory.schema.file: ./missing.graphql does not exist (looked for ${join(dir, 'missing.graphql')})`,
      'subgraphs.tracking.schema: only "file" (or inline "sdl") is supported by the offline tooling',
    ]);
  });

  it('requires at least one subgraph', async () => {
    const error = await configError('federation_version: =2.7.1\n');
    expect(error.problems).toEqual(['subgraphs: is required (a mapping of subgraph name to { routing_url, schema })']);
  });
});

describe('federation_version', () => {
  it('accepts rover forms: exact pins and major versions', () => {
    expect(parseFederationVersion('=2.14.4')).toEqual({ raw: '=2.14.4', major: 2, exact: '2.14.4' });
    expect(parseFederationVersion(2)).toEqual({ raw: '2', major: 2 });
    expect(parseFederationVersion('two')).toHaveProperty('problem');
  });

  it('warns when the pinned version differs from the installed composition', () => {
    const pinned = { raw: '=2.7.1', major: 2, exact: '2.7.1' } as const;
    expect(federationVersionWarning(pinned, '2.14.4')).toMatch(/pins federation_version =2\.7\.1.*2\.14\.4/);
    expect(federationVersionWarning(pinned, '2.7.1')).toBeUndefined();
    expect(federationVersionWarning({ raw: '2', major: 2 }, '2.14.4')).toBeUndefined();
  });
});
