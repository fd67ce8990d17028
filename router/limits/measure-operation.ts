import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** What the operation limits look at, with fragments followed where they are spread. */
export interface OperationMeasures {
  /** Fields on the longest path from a root field to a leaf (a root leaf field is depth 1). */
  readonly depth: number;
  /**
   * Distinct fields: the size of the field tree once selections of the same field name under the
   * same parent are merged (aliases of one field count once). A lower bound once past `heightLimit`.
   */
  readonly height: number;
  /** Aliased fields, each occurrence counted (a fragment spread twice counts its aliases twice). */
  readonly aliases: number;
  /** Fields selected on the root type, aliases included. */
  readonly rootFields: number;
  /** The most directives on any one selection (field, fragment spread or inline fragment). */
  readonly directives: number;
}

/** Measures of one selection set, independent of where it is used, so a fragment is measured once. */
interface SelectionMeasures {
  depth: number;
  aliases: number;
  directives: number;
  fields: number;
}

const NOTHING: SelectionMeasures = { depth: 0, aliases: 0, directives: 0, fields: 0 };

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Depth, aliases, directives and field counts in one pass. Each fragment is measured once and its
 * result reused at every spread, so a document spreading fragments into fragments costs time in
 * proportion to its size, not to its expansion. A fragment spread inside itself counts as empty.
 */
class SelectionMeter {
  private readonly measured = new Map<string, SelectionMeasures>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>) {}

  measure(selectionSet: SelectionSetNode): SelectionMeasures {
    const total: SelectionMeasures = { depth: 0, aliases: 0, directives: 0, fields: 0 };
    for (const selection of selectionSet.selections) {
      total.directives = Math.max(total.directives, selection.directives?.length ?? 0);
      let inner: SelectionMeasures;
      if (selection.kind === Kind.FIELD) {
        total.fields += 1;
        if (selection.alias) total.aliases += 1;
        const below = selection.selectionSet ? this.measure(selection.selectionSet) : NOTHING;
        inner = { ...below, depth: below.depth + 1, fields: 0 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = this.measure(selection.selectionSet);
      } else {
        inner = this.fragment(selection.name.value);
      }
      total.depth = Math.max(total.depth, inner.depth);
      total.aliases += inner.aliases;
      total.directives = Math.max(total.directives, inner.directives);
      total.fields += inner.fields;
    }
    return total;
  }

  private fragment(name: string): SelectionMeasures {
    const known = this.measured.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition || this.inProgress.has(name)) return NOTHING;
    this.inProgress.add(name);
    const result = this.measure(definition.selectionSet);
    this.inProgress.delete(name);
    this.measured.set(name, result);
    return result;
  }
}

/** Thrown inside the height count once it passes its limit, to stop merging. */
class HeightLimitReached extends Error {}

/** A node of the merged field tree: children by field name, and the fragments already merged in. */
interface MergedField {
  readonly children: Map<string, MergedField>;
  readonly fragments: Set<string>;
}

const mergedField = (): MergedField => ({ children: new Map(), fragments: new Set() });

/**
 * Counts the nodes of the merged field tree, stopping once past `limit`. Merging a fragment into a
 * node twice adds nothing, so each (node, fragment) pair is merged once: the work stays within
 * (nodes counted) × (document size) even for fragments spread into fragments.
 */
function countHeight(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, limit: number): number {
  let count = 0;
  const onPath = new Set<string>();
  const merge = (node: MergedField, set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        let child = node.children.get(selection.name.value);
        if (!child) {
          child = mergedField();
          node.children.set(selection.name.value, child);
          count += 1;
          if (count > limit) throw new HeightLimitReached();
        }
        if (selection.selectionSet) merge(child, selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        merge(node, selection.selectionSet);
      } else {
        const name = selection.name.value;
        const definition = fragments.get(name);
        if (!definition || node.fragments.has(name) || onPath.has(name)) continue;
        node.fragments.add(name);
        onPath.add(name);
        merge(node, definition.selectionSet);
        onPath.delete(name);
      }
    }
  };
  try {
    merge(mergedField(), selectionSet);
  } catch (error) {
    if (!(error instanceof HeightLimitReached)) throw error;
  }
  return count;
}

/**
 * Measures one operation of a parsed document. `heightLimit` lets the distinct-field count stop
 * early (it then reports `heightLimit + 1`); the other measures are always exact.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: { readonly heightLimit?: number } = {},
): OperationMeasures {
  const fragments = fragmentsOf(document);
  const measures = new SelectionMeter(fragments).measure(operation.selectionSet);
  return {
    depth: measures.depth,
    height: countHeight(operation.selectionSet, fragments, options.heightLimit ?? Number.POSITIVE_INFINITY),
    aliases: measures.aliases,
    rootFields: measures.fields,
    directives: Math.max(measures.directives, operation.directives?.length ?? 0),
  };
}
