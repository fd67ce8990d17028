import { afterAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { formatTextReport } from '../../schema-tools/schema-check/format-text.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT } from './helpers.js';

afterAll(removeWorkspaces);

describe('schema check when the subgraphs do not compose', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('fails on a conflicting field type between subgraphs, naming both subgraphs', async () => {
    const dir = await workspace('conflicting-field-type', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual(['composition failed with 1 error(s)']);
    expect(report.composition).toMatchObject({
      ok: false,
      subgraphs: ['inventory', 'tracking'],
      errors: [
        {
          code: 'FIELD_TYPE_MISMATCH',
          subgraphs: ['inventory', 'tracking'],
          locations: [
            { subgraph: 'inventory', file: 'subgraphs/inventory.graphql', line: 43, column: 3 },
            { subgraph: 'tracking', file: 'subgraphs/tracking.graphql', line: 21, column: 3 },
          ],
        },
      ],
    });
  });

  it('fails on an invalid @key, attributed to the subgraph that declares it', async () => {
    const dir = await workspace('invalid-key', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(false);
    expect(report.composition.errors).toEqual([expect.objectContaining({ subgraph: 'tracking', code: 'KEY_INVALID_FIELDS' })]);
  });

  it('skips the later steps and prints the errors per subgraph', async () => {
    const dir = await workspace('invalid-key', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.supergraph.status).toBe('skipped');
    expect(report.changes).toEqual([]);
    expect(report.operations.checked).toBe(0);
    const text = formatTextReport(report);
    expect(text).toContain('Composition\n  ✖ inventory, tracking do not compose (1 error(s))\n    subgraph tracking\n');
    expect(text).toContain('at subgraphs/tracking.graphql:15:14');
  });
});
