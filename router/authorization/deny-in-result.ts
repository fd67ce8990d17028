import { type GraphQLError, isListType, isNonNullType, type ExecutionResult, type GraphQLOutputType } from 'graphql';
import { TYPENAME_ALIAS, type Denial, type PathStep } from './filter-operation.js';

/** Replaces a position's value with null further up: the position itself is non-null. */
const PROPAGATE = Symbol('propagate null');

type Path = Array<string | number>;

function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = copyJson((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}

/**
 * Puts null where each denied field would have been, with GraphQL's null propagation (a denied
 * non-null field nulls its parent, and so on up), and adds one coded error per denial at the
 * first place it applied. The data is copied first: a shared subscription's event reaches several
 * clients.
 */
export function denyInResult(result: ExecutionResult, denials: readonly Denial[], errorOf: (denial: Denial, path: Path) => GraphQLError): ExecutionResult {
  let data = result.data === undefined || result.data === null ? result.data : (copyJson(result.data) as Record<string, unknown>);
  const typed = new Set<Record<string, unknown>>();
  const errors: GraphQLError[] = [];
  for (const denial of denials) {
    let firstPath: Path | undefined;
    const visitObject = (object: Record<string, unknown>, steps: readonly PathStep[], index: number, path: Path): boolean => {
      const step = steps[index]!;
      if (TYPENAME_ALIAS in object) typed.add(object);
      if (step.typeCondition !== undefined && object[TYPENAME_ALIAS] !== step.typeCondition) return false;
      const here = [...path, step.key];
      if (index === steps.length - 1) {
        object[step.key] = null;
        firstPath ??= here;
        return isNonNullType(step.type);
      }
      const value = visitValue(object[step.key], step.type, steps, index + 1, here);
      if (value === PROPAGATE) return true;
      object[step.key] = value;
      return false;
    };
    const visitValue = (value: unknown, type: GraphQLOutputType, steps: readonly PathStep[], index: number, path: Path): unknown => {
      if (isNonNullType(type)) {
        const inner = visitValue(value, type.ofType, steps, index, path);
        return inner === null || inner === PROPAGATE ? PROPAGATE : inner;
      }
      if (value === null || value === undefined) return value;
      if (isListType(type)) {
        const list = value as unknown[];
        for (let item = 0; item < list.length; item += 1) {
          const next = visitValue(list[item], type.ofType, steps, index, [...path, item]);
          if (next === PROPAGATE) return null;
          list[item] = next;
        }
        return list;
      }
      return visitObject(value as Record<string, unknown>, steps, index, path) ? null : value;
    };
    if (data && visitObject(data, denial.nullAt, 0, [])) data = null;
    errors.push(errorOf(denial, firstPath ?? [...denial.fieldPath]));
  }
  for (const object of typed) delete object[TYPENAME_ALIAS];
  return { ...result, data, errors: [...(result.errors ?? []), ...errors] };
}
