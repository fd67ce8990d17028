import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaCheckReport } from '../../schema-tools/schema-check/report.js';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT } from './helpers.js';

let report: SchemaCheckReport;

beforeAll(async () => {
  const dir = await workspace('safe-changes', 'git');
  report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
}, WORKSPACE_TIMEOUT);
afterAll(removeWorkspaces);

describe('safe changes', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('classifies an added field as safe', () => {
    expect(report.changes).toContainEqual(expect.objectContaining({ type: 'FIELD_ADDED', path: 'Product.description', criticality: 'safe', verdict: 'ok' }));
  });

  it('classifies a deprecation as safe', () => {
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        type: 'FIELD_DEPRECATION_ADDED',
        path: 'Product.legacySku.@deprecated',
        criticality: 'safe',
      }),
    );
  });

  it('passes with nothing breaking, an up-to-date supergraph and valid operations', () => {
    expect(report.changes.every((c) => c.criticality === 'safe')).toBe(true);
    expect(report).toMatchObject({
      ok: true,
      failures: [],
      supergraph: { status: 'up-to-date' },
      operations: { checked: 2, files: 2, broken: [] },
      summary: { breaking: 0, blocked: 0 },
    });
  });
});
