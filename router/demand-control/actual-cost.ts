import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  OperationTypeNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import type { CostSchema } from './cost-directives.js';
import { CostContext, isIntrospection, MUTATION_BASE_COST, saturate, subSelections, type CostedOperation } from './cost-rules.js';

type ResponseObject = Readonly<Record<string, unknown>>;

const isResponseObject = (value: unknown): value is ResponseObject => value !== null && typeof value === 'object' && !Array.isArray(value);

class ActualMeter {
  constructor(private readonly context: CostContext) {}

  selection(type: GraphQLObjectType, sets: readonly SelectionSetNode[], data: ResponseObject, withArguments: boolean): number {
    let cost = 0;
    for (const [key, { definition, nodes }] of this.context.collect(type, sets)) {
      if (isIntrospection(definition) || !(key in data)) continue;
      const value = this.value(type, definition, definition.type, nodes, data[key]);
      cost = saturate(cost + value + (withArguments ? this.context.argumentsCost(type, definition, nodes[0]!) : 0));
    }
    return cost;
  }

  /** A returned value: nothing for null, each item of a list, weight + selection for an object. */
  private value(parent: GraphQLObjectType, definition: GraphQLField<unknown, unknown>, type: GraphQLOutputType, nodes: FieldNode[], value: unknown): number {
    if (value === null || value === undefined) return 0;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return 0;
      let cost = 0;
      for (const item of value) cost = saturate(cost + this.value(parent, definition, nullable.ofType, nodes, item));
      return cost;
    }
    const named = getNamedType(nullable);
    if (!isCompositeType(named) || !isResponseObject(value)) return this.context.typeCost(parent, definition);
    const runtime = this.runtimeTypes(named, value);
    let best = 0;
    for (const candidate of runtime) {
      best = Math.max(best, this.context.typeCost(parent, definition, candidate.name) + this.selection(candidate, subSelections(nodes), value, true));
    }
    return best;
  }

  /** The object's type: its `__typename` when selected, else every type it may be (the dearest counts). */
  private runtimeTypes(type: Parameters<CostContext['possibleTypes']>[0], value: ResponseObject): readonly GraphQLObjectType[] {
    if (isObjectType(type)) return [type];
    const named = typeof value.__typename === 'string' ? this.context.schema.getType(value.__typename) : undefined;
    return named && isObjectType(named) ? [named] : this.context.possibleTypes(type);
  }
}

/**
 * The actual cost of a result: the estimate's rules applied to what came back, each list counted
 * at its real length and each null as nothing. For a query or mutation pass the response's
 * `data`; for a subscription pass one event's `data`, and the result is that event's cost (its
 * selection; the root arguments were paid at subscribe time). A result whose lists have exactly
 * the estimated sizes and no nulls costs exactly the estimate.
 */
export function actualCost(operation: CostedOperation, data: Readonly<Record<string, unknown>> | null | undefined, costSchema: CostSchema): number {
  const context = new CostContext(costSchema, operation);
  const kind = context.operation.operation;
  const base = kind === OperationTypeNode.MUTATION ? MUTATION_BASE_COST : 0;
  if (!data) return base;
  return saturate(
    base + new ActualMeter(context).selection(context.rootType(), [context.operation.selectionSet], data, kind !== OperationTypeNode.SUBSCRIPTION),
  );
}
