import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const memo = new WeakMap<readonly FieldNode[], Map<string, boolean>>();

/**
 * Whether the field `info` resolves selects the sub-field at `path` (response-name-free field
 * names, e.g. `['edges', 'node', 'stockLevels']`), looking through inline fragments and fragment
 * spreads. A field under `@skip` / `@include` counts as selected: callers use this to choose how to
 * read, never what to answer. Remembered per field nodes (which a compiled query keeps).
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let byPath = memo.get(info.fieldNodes);
  if (!byPath) {
    byPath = new Map();
    memo.set(info.fieldNodes, byPath);
  }
  const key = path.join('.');
  let found = byPath.get(key);
  if (found === undefined) {
    found = reaches(
      info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
      path,
      info.fragments,
    );
    byPath.set(key, found);
  }
  return found;
}

function reaches(sets: readonly SelectionSetNode[], path: readonly string[], fragments: GraphQLResolveInfo['fragments']): boolean {
  const [name, ...rest] = path;
  if (name === undefined) return true;
  const next: SelectionSetNode[] = [];
  const visit = (set: SelectionSetNode, seen: ReadonlySet<string>): boolean => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== name) continue;
        if (rest.length === 0) return true;
        if (selection.selectionSet) next.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (visit(selection.selectionSet, seen)) return true;
      } else {
        const fragment = fragments[selection.name.value];
        // A fragment spread inside itself is invalid GraphQL; `seen` only keeps this from looping on it.
        if (fragment && !seen.has(fragment.name.value) && visit(fragment.selectionSet, new Set([...seen, fragment.name.value]))) return true;
      }
    }
    return false;
  };
  for (const set of sets) if (visit(set, new Set())) return true;
  return next.length > 0 && reaches(next, rest, fragments);
}
