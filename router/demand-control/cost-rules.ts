import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDirectives, CostSchema } from './cost-directives.js';

/** An operation to cost: a parsed, validated document and its request variables. */
export interface CostedOperation {
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  /** Variables as the client sent them; variable defaults of the operation fill the gaps. */
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/** The base cost of a mutation, on top of its selection. */
export const MUTATION_BASE_COST = 10;

/** Costs saturate here rather than grow into imprecise or infinite floats. */
export const MAX_COST = Number.MAX_SAFE_INTEGER;

/** Clamps a cost to {@link MAX_COST}. */
export const saturate = (cost: number): number => (cost > MAX_COST || Number.isNaN(cost) ? MAX_COST : cost);

/** Fields of one response object by response key, with every field node merged under that key. */
export type CollectedFields = Map<string, { readonly definition: GraphQLField<unknown, unknown>; readonly nodes: FieldNode[] }>;

/** Everything a cost walk reads: schema, directives, fragments and the variables in effect. */
export class CostContext {
  readonly schema: GraphQLSchema;
  readonly directives: CostDirectives;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(costSchema: CostSchema, operation: CostedOperation) {
    this.schema = costSchema.schema;
    this.directives = costSchema.directives;
    const operations = operation.document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const chosen =
      operation.operationName == null
        ? operations.length === 1
          ? operations[0]
          : undefined
        : operations.find((candidate) => candidate.name?.value === operation.operationName);
    if (!chosen)
      throw new Error(
        operation.operationName == null ? 'the document must hold exactly one operation, or name one' : `no operation named ${operation.operationName}`,
      );
    this.operation = chosen;
    for (const definition of operation.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
    const variables: Record<string, unknown> = {};
    for (const definition of chosen.variableDefinitions ?? []) {
      if (definition.defaultValue) variables[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
    const effective: Record<string, unknown> = { ...variables, ...(operation.variables ?? {}) };
    // Every read goes through the proxy, so the estimate knows which variables it depends on.
    const read = this.variablesRead;
    this.variables = new Proxy(effective, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name) as unknown;
      },
      has: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return Reflect.has(target, name);
      },
      getOwnPropertyDescriptor: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return Reflect.getOwnPropertyDescriptor(target, name);
      },
    });
  }

  /** The variables this walk has read so far: the estimate is a function of these alone. */
  readonly variablesRead = new Set<string>();

  /** The root type of the operation. */
  rootType(): GraphQLObjectType {
    const root = this.schema.getRootType(this.operation.operation);
    if (!root) throw new Error(`the schema has no ${this.operation.operation} type`);
    return root;
  }

  /** Whether `@skip`/`@include` leave a selection out. */
  private excluded(node: Parameters<typeof getDirectiveValues>[1]): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.if === true) return true;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.if === false;
  }

  private applies(typeCondition: string | undefined, runtimeType: GraphQLObjectType): boolean {
    if (typeCondition === undefined || typeCondition === runtimeType.name) return true;
    const condition = this.schema.getType(typeCondition);
    return condition !== undefined && isAbstractType(condition) && this.schema.isSubType(condition, runtimeType);
  }

  /**
   * The fields an object of `runtimeType` gets from these selection sets, as execution collects
   * them: skipped selections left out, fragments followed once, same response keys merged.
   */
  collect(runtimeType: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): CollectedFields {
    const fields: CollectedFields = new Map();
    const visited = new Set<string>();
    const walk = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (this.excluded(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const known = fields.get(key);
          if (known) {
            known.nodes.push(selection);
            continue;
          }
          const definition = this.fieldDefinition(runtimeType, selection.name.value);
          if (definition) fields.set(key, { definition, nodes: [selection] });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, runtimeType)) walk(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || visited.has(name)) continue;
          visited.add(name);
          if (this.applies(fragment.typeCondition.name.value, runtimeType)) walk(fragment.selectionSet);
        }
      }
    };
    for (const set of selectionSets) walk(set);
    return fields;
  }

  private fieldDefinition(parent: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return parent.getFields()[name];
  }

  /**
   * The weight of one value a field returns: the field's `@cost`, else its type's, else 1 for
   * objects, interfaces and unions and 0 for scalars and enums.
   */
  typeCost(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, runtimeTypeName?: string): number {
    const fieldWeight = this.directives.fieldWeight(parent.name, field.name);
    if (fieldWeight !== undefined) return fieldWeight;
    const named = getNamedType(field.type);
    const typeWeight = (runtimeTypeName ? this.directives.typeWeight(runtimeTypeName) : undefined) ?? this.directives.typeWeight(named.name);
    if (typeWeight !== undefined) return typeWeight;
    return isCompositeType(named) ? 1 : 0;
  }

  /** The cost of the arguments given to a field: `@cost` weights of arguments and input fields. */
  argumentsCost(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
    let cost = 0;
    for (const argument of node.arguments ?? []) {
      const definition = field.args.find((candidate) => candidate.name === argument.name.value);
      if (!definition) continue;
      const weight = this.directives.argumentWeight(parent.name, field.name, definition.name);
      // An unweighted scalar (an id, a search text) costs nothing whatever its value: not read,
      // so an estimate does not depend on it.
      if (!mayCost(definition.type, weight)) continue;
      const value = valueFromASTUntyped(argument.value, this.variables);
      cost += this.inputCost(value, definition.type, weight);
    }
    return cost;
  }

  /**
   * An input value's cost: its `@cost` weight; an input object weighs 1 unless weighted, plus its
   * fields; a list weighs its items (each weighed like the list's own position).
   */
  private inputCost(value: unknown, type: GraphQLInputType, weight: number | undefined): number {
    if (value === null || value === undefined) return 0;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const items = Array.isArray(value) ? value : [value];
      let cost = weight ?? 0;
      for (const item of items) cost += this.inputCost(item, nullable.ofType, weight);
      return cost;
    }
    if (isInputObjectType(nullable) && typeof value === 'object') {
      let cost = weight ?? 1;
      const fields = nullable.getFields();
      for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        const field = fields[name];
        if (field) cost += this.inputCost(fieldValue, field.type, this.directives.inputFieldWeight(nullable.name, name));
      }
      return cost;
    }
    return weight ?? 0;
  }

  /** A slicing argument's value: given in the operation (or through a variable), else its default. */
  argumentValue(field: GraphQLField<unknown, unknown>, node: FieldNode, path: string): unknown {
    const [name, ...rest] = path.split('.');
    const given = node.arguments?.find((argument) => argument.name.value === name);
    let value: unknown = given ? valueFromASTUntyped(given.value, this.variables) : field.args.find((argument) => argument.name === name)?.defaultValue;
    for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  }

  /** The object types a value of `type` may be at run time. */
  possibleTypes(type: ReturnType<typeof getNamedType>): readonly GraphQLObjectType[] {
    if (isObjectType(type)) return [type];
    return isAbstractType(type) ? this.schema.getPossibleTypes(type) : [];
  }
}

/** Whether a value of an input type can weigh anything: input objects do, scalars and enums only when weighted. */
function mayCost(type: GraphQLInputType, weight: number | undefined): boolean {
  if (weight !== undefined) return true;
  const nullable = getNullableType(type);
  if (isListType(nullable)) return mayCost(nullable.ofType, weight);
  return isInputObjectType(nullable);
}

/** Introspection (`__schema`, `__type`) is answered by the router from the schema: it costs nothing. */
export const isIntrospection = (field: GraphQLField<unknown, unknown>): boolean => field.name.startsWith('__');

/** The selection sets under a field's merged nodes. */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}
