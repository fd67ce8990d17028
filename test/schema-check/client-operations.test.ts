import { afterAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { formatTextReport } from '../../schema-tools/schema-check/format-text.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT, writeOperation } from './helpers.js';

afterAll(removeWorkspaces);

const LEGACY_OPERATIONS = `# Operations of the old warehouse app.
query WarehouseLookup($id: ID!) {
  product(id: $id) {
    id
    legacySku
  }
}

query WarehouseNames {
  products {
    name
  }
}
`;

describe('client operations', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('reports an operation broken by a change with its file and line:column', async () => {
    const dir = await workspace('removed-field', 'git');
    await writeOperation(dir, 'warehouse/legacy.graphql', LEGACY_OPERATIONS);
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(false);
    expect(report.operations).toMatchObject({ checked: 4, files: 3 });
    expect(report.operations.broken).toEqual([
      {
        operation: 'WarehouseLookup',
        file: 'schema/operations/warehouse/legacy.graphql',
        line: 2,
        column: 1,
        errors: [
          {
            message: 'Cannot query field "legacySku" on type "Product".',
            file: 'schema/operations/warehouse/legacy.graphql',
            line: 5,
            column: 5,
          },
        ],
      },
    ]);
    expect(report.failures).toContain('1 client operation(s) do not validate against the new API schema');
    expect(formatTextReport(report)).toContain(
      '  ✖ WarehouseLookup (schema/operations/warehouse/legacy.graphql:2:1)\n' +
        '      schema/operations/warehouse/legacy.graphql:5:5 Cannot query field "legacySku" on type "Product".',
    );
  });

  it('resolves fragments defined in other operation files', async () => {
    const dir = await workspace('safe-changes', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    // campaign.graphql spreads ProductFields, defined in product.graphql
    expect(report.operations.broken).toEqual([]);
  });

  it('reports syntax errors and unknown fragments with their position', async () => {
    const dir = await workspace('safe-changes', 'git');
    await writeOperation(dir, 'broken.graphql', 'query Broken {\n  product(id: "1") {\n    id\n');
    await writeOperation(dir, 'missing-fragment.graphql', 'query Orphan {\n  product(id: "1") { ...Nope }\n}\n');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.operations.broken).toEqual([
      {
        file: 'schema/operations/broken.graphql',
        line: 4,
        column: 1,
        errors: [{ file: 'schema/operations/broken.graphql', line: 4, column: 1, message: 'Syntax Error: Expected Name, found <EOF>.' }],
      },
      expect.objectContaining({
        operation: 'Orphan',
        file: 'schema/operations/missing-fragment.graphql',
        errors: [expect.objectContaining({ message: 'Unknown fragment "Nope".', line: 2, column: 25 })],
      }),
    ]);
  });
});
