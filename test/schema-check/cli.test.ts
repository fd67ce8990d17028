import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SchemaCheckReport } from '../../schema-tools/schema-check/report.js';
import { composeAfter, removeWorkspaces, runBin, SUPERGRAPH_FILE, workspace } from './helpers.js';

afterAll(removeWorkspaces);

const SPAWN_TIMEOUT = 60_000;

describe('npm run schema:check (bin/schema-check.ts)', { timeout: SPAWN_TIMEOUT }, () => {
  it('prints the report as JSON with --format json and exits 1 on a blocked breaking change', async () => {
    const dir = await workspace('removed-field', 'git');
    const { code, stdout } = await runBin('schema-check', ['--base', 'HEAD', '--format', 'json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as SchemaCheckReport;
    expect(Object.keys(report).sort()).toEqual(
      ['allowList', 'base', 'changes', 'composition', 'config', 'failures', 'ok', 'operations', 'summary', 'supergraph', 'warnings'].sort(),
    );
    expect(report).toMatchObject({
      ok: false,
      config: 'supergraph.yaml',
      composition: { ok: true, subgraphs: ['inventory', 'tracking'], errors: [], hints: [] },
      supergraph: { file: SUPERGRAPH_FILE, status: 'up-to-date', command: 'npm run compose' },
      base: { kind: 'git', ref: 'HEAD', file: SUPERGRAPH_FILE, found: true },
      summary: { breaking: 1, dangerous: 0, safe: 0, blocked: 1, allowed: 0 },
      operations: { directory: 'schema/operations', found: true, files: 2, checked: 2, broken: [] },
      allowList: { entries: 0, unmatched: [] },
      failures: ['1 breaking change(s) not allowed'],
    });
    expect(report.changes).toEqual([
      expect.objectContaining({
        type: 'FIELD_REMOVED',
        path: 'Product.legacySku',
        criticality: 'breaking',
        verdict: 'blocked',
        usedBy: [],
        message: "Field 'legacySku' was removed from object type 'Product'",
      }),
    ]);
  });

  it('passes (exit 0) with --allow-breaking and prints grouped text sections', async () => {
    const dir = await workspace('removed-field', 'git');
    const { code, stdout } = await runBin('schema-check', ['--base', 'HEAD', '--allow-breaking'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Composition\n  ✔ composed 2 subgraph(s): inventory, tracking');
    expect(stdout).toContain(`Supergraph file\n  ✔ ${SUPERGRAPH_FILE} is up to date`);
    expect(stdout).toContain('Schema changes (base: HEAD:schema/supergraph.graphql)\n  Breaking (1)');
    expect(stdout).toContain('allowed by --allow-breaking');
    expect(stdout).toContain('Result\n  ✔ schema check passed (1 breaking, 0 dangerous, 0 safe)');
  });

  it('exits 1 and prints the regenerate command when the supergraph file is stale', async () => {
    const dir = await workspace('safe-changes', 'disk');
    const { code, stdout } = await runBin('schema-check', [], dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`✖ ${SUPERGRAPH_FILE} is out of date — regenerate it with: npm run compose`);
  });

  it.each([
    ['an unknown flag', ['--allow-everything'], /Unknown option '--allow-everything'/],
    ['an unknown format', ['--format', 'xml'], /--format must be "text" or "json"/],
    ['a missing config file', ['--config', 'nope.yaml'], /nope\.yaml:\n {2}- file not found/],
    ['a missing operations directory', ['--operations', 'nope'], /--operations: .*nope is not a directory/],
    ['a missing allow-list file', ['--allow-list', 'nope.json'], /--allow-list: .*nope\.json does not exist/],
  ])('exits 2 on %s', async (_name, args, message) => {
    const dir = await workspace('safe-changes', 'none');
    const { code, stderr } = await runBin('schema-check', args, dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: npm run schema:check');
  });

  it('reports a usage error as JSON when --format json was asked for', async () => {
    const dir = await workspace('safe-changes', 'none');
    const { code, stdout } = await runBin('schema-check', ['--format', 'json', '--base', 'HEAD'], dir);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({ ok: false, usageError: expect.stringMatching(/^--base HEAD: /) });
  });
});

describe('npm run compose (bin/compose.ts)', { timeout: SPAWN_TIMEOUT }, () => {
  it('writes the composed supergraph to --out', async () => {
    const dir = await workspace('safe-changes', 'none');
    const { code, stdout } = await runBin('compose', ['--config', 'supergraph.yaml', '--out', 'out/supergraph.graphql'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('✔ Composed inventory, tracking into out/supergraph.graphql');
    expect(await readFile(join(dir, 'out/supergraph.graphql'), 'utf8')).toBe(`${await composeAfter(dir)}\n`);
  });

  it('exits 1 with the errors of each subgraph when composition fails', async () => {
    const dir = await workspace('invalid-key', 'none');
    const { code, stderr } = await runBin('compose', [], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('✖ Composition of inventory, tracking failed with 1 error(s)');
    expect(stderr).toContain('subgraph tracking\n    ✖ [KEY_INVALID_FIELDS] On type "Product"');
    expect(stderr).toContain('at subgraphs/tracking.graphql:15:14');
  });

  it('exits 2 on an unknown flag', async () => {
    const dir = await workspace('safe-changes', 'none');
    const { code, stderr } = await runBin('compose', ['--outt', 'x'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run compose');
  });
});
