import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { composeAfter, removeWorkspaces, SUPERGRAPH_FILE, workspace, WORKSPACE_TIMEOUT } from './helpers.js';

afterAll(removeWorkspaces);

describe('the committed supergraph file', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('fails when it is out of date with the subgraph SDLs and names the command that regenerates it', async () => {
    const dir = await workspace('safe-changes', 'disk');
    const report = await runSchemaCheck({ cwd: dir });
    expect(report.ok).toBe(false);
    expect(report.supergraph).toEqual({ file: SUPERGRAPH_FILE, status: 'stale', command: 'npm run compose' });
    expect(report.failures).toEqual([`${SUPERGRAPH_FILE} is out of date with the subgraph schemas; regenerate it with \`npm run compose\``]);
  });

  it('is the default base, so the diff shows what the uncomposed subgraph edits change', async () => {
    const dir = await workspace('safe-changes', 'disk');
    const report = await runSchemaCheck({ cwd: dir });
    expect(report.base).toEqual({ kind: 'file', file: SUPERGRAPH_FILE, found: true });
    expect(report.changes.map((c) => c.path)).toContain('Product.description');
  });

  it('passes once regenerated (ignoring line endings)', async () => {
    const dir = await workspace('safe-changes', 'disk');
    const composed = await composeAfter(dir);
    await writeFile(join(dir, SUPERGRAPH_FILE), `${composed?.replace(/\n/g, '\r\n')}\r\n`);
    const report = await runSchemaCheck({ cwd: dir });
    expect(report.supergraph.status).toBe('up-to-date');
    expect(report.ok).toBe(true);
    expect(report.changes).toEqual([]);
  });

  it('fails when it does not exist, and skips the diff for lack of a base', async () => {
    const dir = await workspace('safe-changes', 'disk');
    await rm(join(dir, SUPERGRAPH_FILE));
    const report = await runSchemaCheck({ cwd: dir });
    expect(report.supergraph.status).toBe('missing');
    expect(report.base.found).toBe(false);
    expect(report.failures).toEqual([`${SUPERGRAPH_FILE} does not exist; regenerate it with \`npm run compose\``]);
    expect(report.warnings).toContain(`no base supergraph (${SUPERGRAPH_FILE} on disk); schema diff skipped`);
  });
});
