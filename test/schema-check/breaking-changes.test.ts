import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedChange, SchemaCheckReport } from '../../schema-tools/schema-check/report.js';
import { runSchemaCheck } from '../../schema-tools/schema-check/run-schema-check.js';
import { removeWorkspaces, workspace, WORKSPACE_TIMEOUT, writeOperation } from './helpers.js';

let report: SchemaCheckReport;

beforeAll(async () => {
  const dir = await workspace('breaking-changes', 'git');
  report = await runSchemaCheck({ cwd: dir, base: 'HEAD' });
}, WORKSPACE_TIMEOUT);
afterAll(removeWorkspaces);

function change(type: string, path: string): CheckedChange {
  const found = report.changes.find((c) => c.type === type && c.path === path);
  if (!found) throw new Error(`no ${type} at ${path} in ${report.changes.map((c) => `${c.type} ${c.path}`).join(', ')}`);
  return found;
}

describe('breaking changes against the base API schema', { timeout: WORKSPACE_TIMEOUT }, () => {
  it('classifies a removed field as breaking', () => {
    expect(change('FIELD_REMOVED', 'Product.legacySku').criticality).toBe('breaking');
  });

  it('classifies a changed field type as breaking', () => {
    expect(change('FIELD_TYPE_CHANGED', 'Product.weight')).toMatchObject({
      criticality: 'breaking',
      meta: { oldFieldType: 'Int', newFieldType: 'String' },
    });
  });

  it('classifies an input field going from nullable to non-null as breaking', () => {
    expect(change('INPUT_FIELD_TYPE_CHANGED', 'RegisterProductInput.description')).toMatchObject({
      criticality: 'breaking',
      meta: { oldInputFieldType: 'String', newInputFieldType: 'String!' },
    });
  });

  it('classifies a new required argument as breaking', () => {
    expect(change('FIELD_ARGUMENT_ADDED', 'Query.products.storeId').criticality).toBe('breaking');
  });

  it('classifies a removed enum value as breaking', () => {
    expect(change('ENUM_VALUE_REMOVED', 'ReservationStatus.EXPIRED').criticality).toBe('breaking');
  });

  it('fails the check because none of them is acknowledged', () => {
    expect(report.ok).toBe(false);
    expect(report.summary).toMatchObject({ breaking: 5, blocked: 5, allowed: 0 });
    expect(report.failures).toEqual(['5 breaking change(s) not allowed']);
    expect(report.changes.every((c) => c.usedBy.length === 0)).toBe(true);
  });
});

describe('operations that use a breaking change', { timeout: WORKSPACE_TIMEOUT }, () => {
  let used: SchemaCheckReport;

  beforeAll(async () => {
    const dir = await workspace('breaking-changes', 'git');
    await writeOperation(
      dir,
      'admin.graphql',
      [
        'mutation RegisterProduct($input: RegisterProductInput!) {',
        '  registerProduct(input: $input) { id }',
        '}',
        '',
        'query ExpiredReservations {',
        '  reservations(status: EXPIRED) { id }',
        '}',
        '',
        'query Catalogue {',
        '  products(first: 10) { id weight }',
        '}',
        '',
      ].join('\n'),
    );
    used = await runSchemaCheck({ cwd: dir, base: 'HEAD', allowBreaking: true });
  }, WORKSPACE_TIMEOUT);

  const usersOf = (type: string, path: string) => used.changes.find((c) => c.type === type && c.path === path)?.usedBy.map((op) => op.name);

  it('links a variable of an input type to changes of its fields', () => {
    expect(usersOf('INPUT_FIELD_TYPE_CHANGED', 'RegisterProductInput.description')).toEqual(['RegisterProduct']);
  });

  it('links an enum literal to the removal of that value', () => {
    expect(usersOf('ENUM_VALUE_REMOVED', 'ReservationStatus.EXPIRED')).toEqual(['ExpiredReservations']);
  });

  it('links a selected field to a required argument added to it and to its type change', () => {
    expect(usersOf('FIELD_ARGUMENT_ADDED', 'Query.products.storeId')).toEqual(['Catalogue']);
    expect(usersOf('FIELD_TYPE_CHANGED', 'Product.weight')).toEqual(['Catalogue']);
  });

  it('blocks the used changes even with --allow-breaking, and allows the unused one', () => {
    expect(used.ok).toBe(false);
    expect(used.changes.filter((c) => c.verdict === 'allowed').map((c) => c.path)).toEqual(['Product.legacySku']);
    expect(used.summary).toMatchObject({ blocked: 4, allowed: 1 });
  });
});
