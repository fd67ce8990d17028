import { afterAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { SchemaCheckUsageError } from '../../schema-tools/schema-check/usage-error.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT, writeAllowList, writeOperation } from './helpers.js';

afterAll(removeWorkspaces);

const REMOVAL = { type: 'FIELD_REMOVED', path: 'Product.legacySku', reason: 'Warehouse app retired in v3.' };
const USES_REMOVED_FIELD = 'query WarehouseLookup($id: ID!) {\n  product(id: $id) { legacySku }\n}\n';

describe('breaking-change policy', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('fails on an unused breaking change that nobody acknowledged', async () => {
    const dir = await workspace('removed-field', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(false);
    expect(report.changes).toEqual([expect.objectContaining({ type: REMOVAL.type, path: REMOVAL.path, verdict: 'blocked', usedBy: [] })]);
    expect(report.failures).toEqual(['1 breaking change(s) not allowed']);
  });

  it('passes an unused breaking change with --allow-breaking', async () => {
    const dir = await workspace('removed-field', 'git');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD', allowBreaking: true });
    expect(report.ok).toBe(true);
    expect(report.changes[0]).toMatchObject({ verdict: 'allowed', acknowledgement: { by: 'flag' } });
    expect(report.summary).toMatchObject({ breaking: 1, allowed: 1, blocked: 0 });
  });

  it('passes an unused breaking change listed in the allow-list file', async () => {
    const dir = await workspace('removed-field', 'git');
    await writeAllowList(dir, [REMOVAL]);
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(true);
    expect(report.changes[0]).toMatchObject({
      verdict: 'allowed',
      acknowledgement: { by: 'allow-list', reason: REMOVAL.reason },
    });
    expect(report.allowList).toEqual({ file: 'schema/allowed-breaking-changes.json', entries: 1, unmatched: [] });
  });

  it('ignores an allow-list entry whose type does not match the change', async () => {
    const dir = await workspace('removed-field', 'git');
    await writeAllowList(dir, [{ ...REMOVAL, type: 'FIELD_TYPE_CHANGED' }]);
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.ok).toBe(false);
    expect(report.allowList.unmatched).toHaveLength(1);
    expect(report.warnings).toContain('allow-list entry FIELD_TYPE_CHANGED Product.legacySku matches no change since HEAD; it can be removed');
  });

  it('fails a breaking change used by an operation even when it is allowed', async () => {
    const dir = await workspace('removed-field', 'git');
    await writeOperation(dir, 'warehouse.graphql', USES_REMOVED_FIELD);
    await writeAllowList(dir, [REMOVAL]);
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD', allowBreaking: true });
    expect(report.ok).toBe(false);
    expect(report.changes[0]).toMatchObject({
      verdict: 'blocked',
      acknowledgement: { by: 'allow-list' },
      usedBy: [{ name: 'WarehouseLookup', file: 'schema/operations/warehouse.graphql', line: 1, column: 1 }],
    });
    expect(report.failures).toContain('1 breaking change(s) not allowed');
  });

  it('reads an allow-list from --allow-list and rejects a missing or invalid one as a usage error', async () => {
    const dir = await workspace('removed-field', 'git');
    await writeAllowList(dir, [REMOVAL], 'reviewed.json');
    await expect(runSchemaCheck({ cwd: dir, base: 'HEAD', allowList: 'reviewed.json' })).resolves.toMatchObject({ ok: true });
    await expect(runSchemaCheck({ cwd: dir, base: 'HEAD', allowList: 'nope.json' })).rejects.toThrow(SchemaCheckUsageError);
    await writeAllowList(dir, [{ ...REMOVAL, reason: '' }], 'reviewed.json');
    await expect(runSchemaCheck({ cwd: dir, base: 'HEAD', allowList: 'reviewed.json' })).rejects.toThrow(/entry 0: "reason" must be a non-empty string/);
  });
});
