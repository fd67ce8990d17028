import type { ClientOperation } from './operations.js';
import type { SchemaChange } from './schema-diff.js';

const becameNonNull = (oldType: unknown, newType: unknown): boolean =>
  typeof oldType === 'string' && typeof newType === 'string' && !oldType.endsWith('!') && newType.endsWith('!');

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The coordinates an operation must use for `change` to affect it. Mostly the change's own path;
 * for changes that add a requirement the operation cannot know about (a required argument or input
 * field added, an argument or input field becoming non-null) it is the enclosing field or input
 * type, since an operation that uses it without that value now fails.
 */
export function usageCoordinatesOf(change: SchemaChange): string[] {
  const meta = change.meta;
  switch (change.type) {
    case 'FIELD_ARGUMENT_ADDED':
      return [`${str(meta['typeName'])}.${str(meta['fieldName'])}`];
    case 'FIELD_ARGUMENT_TYPE_CHANGED':
      return becameNonNull(meta['oldArgumentType'], meta['newArgumentType'])
        ? [`${str(meta['typeName'])}.${str(meta['fieldName'])}`]
        : change.path
          ? [change.path]
          : [];
    case 'INPUT_FIELD_ADDED':
      return [String(meta['inputName'])];
    case 'INPUT_FIELD_TYPE_CHANGED':
      return becameNonNull(meta['oldInputFieldType'], meta['newInputFieldType']) ? [String(meta['inputName'])] : change.path ? [change.path] : [];
    case 'UNION_MEMBER_REMOVED':
      return [String(meta['removedUnionMemberTypeName'])];
    case 'SCHEMA_QUERY_TYPE_CHANGED':
    case 'SCHEMA_MUTATION_TYPE_CHANGED':
    case 'SCHEMA_SUBSCRIPTION_TYPE_CHANGED': {
      const old = Object.entries(meta).find(([key]) => key.startsWith('old'))?.[1];
      return typeof old === 'string' ? [old] : [];
    }
    default:
      return change.path ? [change.path] : [];
  }
}

/** An operation together with the base-schema coordinates it uses. */
export interface OperationUsage {
  operation: ClientOperation;
  coordinates: ReadonlySet<string>;
}

/** The operations that use what `change` removes or changes. */
export function operationsAffectedBy(change: SchemaChange, usages: readonly OperationUsage[]): ClientOperation[] {
  const wanted = usageCoordinatesOf(change);
  if (wanted.length === 0) return [];
  return usages.filter((usage) => wanted.some((coordinate) => usage.coordinates.has(coordinate))).map((usage) => usage.operation);
}
