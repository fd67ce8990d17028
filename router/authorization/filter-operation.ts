import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuthorizationRequirements, Requirement } from '../../common/supergraph/authorization-requirements.js';

/** Alias under which the router reads `__typename` where a denied field sits under a type condition. */
export const TYPENAME_ALIAS = '__tributaryTypename';

/** One field on the way from the root to a denied field. */
export interface PathStep {
  /** Response key (alias or name). */
  readonly key: string;
  /** The field's type, for null propagation. */
  readonly type: GraphQLOutputType;
  /** Set when the field was selected under a type condition narrower than its parent's type. */
  readonly typeCondition?: string;
}

/** A field removed from the operation because the caller may not see it. */
export interface Denial {
  /** `Type.field`. */
  readonly coordinate: string;
  readonly requirement: Requirement;
  /** Where the response gets null: the denied field, or the field whose whole selection it was. */
  readonly nullAt: readonly PathStep[];
  /** Response keys down to the denied field. */
  readonly fieldPath: readonly string[];
}

/** The restricted fields an operation selects, found once per document. */
export interface OperationAnalysis {
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The distinct requirements met on the way, in a fixed order (one decision each). */
  readonly requirements: readonly Requirement[];
}

function collectFragments(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** Finds the requirements of every field the operation may select (through fragments too). */
export function analyzeOperation(
  schema: GraphQLSchema,
  requirements: AuthorizationRequirements,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationAnalysis {
  const fragments = collectFragments(document);
  const found = new Set<Requirement>();
  const visiting = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        const requirement = requirements.of(parent.name, selection.name.value);
        if (requirement) found.add(requirement);
        const named = getNamedType(definition.type);
        if (selection.selectionSet && isCompositeType(named)) walk(selection.selectionSet, named);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) walk(selection.selectionSet, condition);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && isCompositeType(condition)) walk(fragment.selectionSet, condition);
        visiting.delete(fragment.name.value);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root);
  return { operation, fragments, requirements: [...found] };
}

/** The operation without the denied fields, or undefined when nothing of it is left. */
export interface FilteredOperation {
  readonly document: DocumentNode | undefined;
  readonly denials: readonly Denial[];
}

/**
 * Removes every field whose requirement `allowed` refuses, and every field whose selection that
 * leaves empty. Fragments are inlined on the way (each spread becomes an inline fragment with the
 * same type condition), and variables no longer used are dropped.
 */
export function filterOperation(
  schema: GraphQLSchema,
  requirements: AuthorizationRequirements,
  analysis: OperationAnalysis,
  allowed: (requirement: Requirement) => boolean,
): FilteredOperation {
  const denials: Denial[] = [];
  const filterSet = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    staticType: GraphQLCompositeType,
    steps: readonly PathStep[],
    keys: readonly string[],
  ): SelectionSetNode | undefined => {
    const depth = steps.length;
    const firstDenial = denials.length;
    const selections: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const kept = filterField(selection, parent, staticType, steps, keys);
        if (kept) selections.push(kept);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : analysis.fragments.get(selection.name.value);
      if (!fragment) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const condition = conditionName ? schema.getType(conditionName) : parent;
      if (!condition || !isCompositeType(condition)) continue;
      const inner = filterSet(fragment.selectionSet, condition, staticType, steps, keys);
      if (inner) {
        selections.push({
          kind: Kind.INLINE_FRAGMENT,
          ...(fragment.typeCondition ? { typeCondition: fragment.typeCondition } : {}),
          directives: selection.directives ?? [],
          selectionSet: inner,
        });
      }
    }
    if (selections.length === 0) return undefined;
    // A denial under a narrower type condition applies to objects of that type only: read their type.
    const needsType = denials.slice(firstDenial).some((denial) => denial.nullAt[depth]?.typeCondition !== undefined);
    if (needsType) {
      selections.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPENAME_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } });
    }
    return { ...set, selections };
  };
  const filterField = (
    field: FieldNode,
    parent: GraphQLCompositeType,
    staticType: GraphQLCompositeType,
    steps: readonly PathStep[],
    keys: readonly string[],
  ): FieldNode | undefined => {
    const name = field.name.value;
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return field;
    const definition = parent.getFields()[name];
    if (!definition) return field;
    const key = field.alias?.value ?? name;
    const step: PathStep = { key, type: definition.type, ...(parent.name !== staticType.name ? { typeCondition: parent.name } : {}) };
    const requirement = requirements.of(parent.name, name);
    if (requirement && !allowed(requirement)) {
      denials.push({ coordinate: `${parent.name}.${name}`, requirement, nullAt: [...steps, step], fieldPath: [...keys, key] });
      return undefined;
    }
    const named = getNamedType(definition.type);
    if (!field.selectionSet || !isCompositeType(named)) return field;
    const before = denials.length;
    const inner = filterSet(field.selectionSet, named, named, [...steps, step], [...keys, key]);
    if (inner) return { ...field, selectionSet: inner };
    // Nothing of its selection is left: the field itself goes, and gets the null.
    for (let index = before; index < denials.length; index += 1) denials[index] = { ...denials[index]!, nullAt: [...steps, step] };
    return undefined;
  };

  const root = schema.getRootType(analysis.operation.operation);
  if (!root) return { document: undefined, denials };
  const selectionSet = filterSet(analysis.operation.selectionSet, root, root, [], []);
  if (!selectionSet) return { document: undefined, denials };
  return { document: withUsedVariablesOnly({ ...analysis.operation, selectionSet }), denials };
}

/** The operation as a document of its own, its unused variable definitions dropped. */
function withUsedVariablesOnly(operation: OperationDefinitionNode): DocumentNode {
  const used = new Set<string>();
  visit(operation.selectionSet, { Variable: (node) => void used.add(node.name.value) });
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, variableDefinitions: (operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value)) },
    ],
  };
}
