import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { SchemaCheckUsageError } from '../../schema-tools/schema-check/usage-error.js';
import { git, removeWorkspaces, SUPERGRAPH_FILE, workspace, WORKSPACE_TIMEOUT } from './helpers.js';

afterAll(removeWorkspaces);

describe('--base <git ref>', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('diffs against the supergraph committed at that ref, not the file on disk', async () => {
    const dir = await workspace('removed-field', 'git');
    git(dir, 'add', SUPERGRAPH_FILE);
    git(dir, 'commit', '--quiet', '-m', 'remove legacySku');

    const sincePrevious = await runSchemaCheck({ cwd: dir, base: 'HEAD~1' });
    expect(sincePrevious.base).toEqual({ kind: 'git', ref: 'HEAD~1', file: SUPERGRAPH_FILE, found: true });
    expect(sincePrevious.changes.map((c) => `${c.type} ${c.path}`)).toEqual(['FIELD_REMOVED Product.legacySku']);

    const sinceHead = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(sinceHead.changes).toEqual([]);
    expect(sinceHead.ok).toBe(true);
  });

  it('skips the diff with a warning when the ref has no supergraph file', async () => {
    const dir = await workspace('safe-changes', 'none');
    git(dir, 'init', '--quiet');
    await writeFile(join(dir, 'README.md'), 'first commit without a supergraph\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '--quiet', '-m', 'init');
    const report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
    expect(report.base.found).toBe(false);
    expect(report.warnings).toContain(`no base supergraph (${SUPERGRAPH_FILE} at HEAD); schema diff skipped`);
  });

  it('rejects an unknown ref as a usage error', async () => {
    const dir = await workspace('safe-changes', 'git');
    await expect(runSchemaCheck({ cwd: dir, base: 'no-such-branch' })).rejects.toThrow(new SchemaCheckUsageError('--base no-such-branch: unknown revision'));
  });

  it('rejects a ref outside a git repository as a usage error', async () => {
    const dir = await workspace('safe-changes', 'disk');
    await expect(runSchemaCheck({ cwd: dir, base: 'HEAD' })).rejects.toThrow(/--base HEAD: .*not a git repository/);
  });
});
