import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  OperationTypeNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { CostSchema, ListSize } from './cost-directives.js';
import { CostContext, isIntrospection, MAX_COST, MUTATION_BASE_COST, saturate, subSelections, type CostedOperation } from './cost-rules.js';

/** How lists are sized when the schema says nothing, and how much work an estimate may do. */
export interface EstimateOptions {
  /** Items assumed for a list field without `@listSize`. */
  readonly defaultListSize?: number;
  /**
   * Field selections an estimate may visit before giving up; an operation that large is costed
   * at {@link MAX_COST}. Operation limits normally refuse such documents first.
   */
  readonly maxVisits?: number;
}

/** The static estimate of an operation, before it runs. */
export interface CostEstimate {
  /** What the budget is compared with. */
  readonly cost: number;
  /**
   * Subscriptions: the estimated cost of each event, its selection without the arguments (those
   * are paid once, at subscribe time, as part of `cost`).
   */
  readonly perEvent?: number;
  /**
   * The variables the estimate read (sorted): another request of the same document whose values
   * of these are equal has the same estimate.
   */
  readonly variablesRead: readonly string[];
}

export const DEFAULT_LIST_SIZE = 10;

class VisitBudgetExhausted extends Error {}

class Estimator {
  private visits = 0;

  constructor(
    private readonly context: CostContext,
    private readonly defaultListSize: number,
    private readonly maxVisits: number,
  ) {}

  /** Cost of the fields an object of `type` gets; `sized` gives sizes to the fields a parent's `@listSize` names. */
  selection(type: GraphQLObjectType, sets: readonly SelectionSetNode[], sized?: ReadonlyMap<string, number>): { cost: number; arguments: number } {
    let cost = 0;
    let argumentsCost = 0;
    for (const { definition, nodes } of this.context.collect(type, sets).values()) {
      if (isIntrospection(definition)) continue;
      this.visits += 1;
      if (this.visits > this.maxVisits) throw new VisitBudgetExhausted();
      const field = this.field(type, definition, nodes, sized?.get(definition.name));
      cost = saturate(cost + field.cost);
      argumentsCost += field.arguments;
    }
    return { cost, arguments: argumentsCost };
  }

  /** count × (weight + selection) + arguments, as the cost specification adds them up. */
  private field(
    parent: GraphQLObjectType,
    definition: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    sizedByParent: number | undefined,
  ): { cost: number; arguments: number } {
    const node = nodes[0]!;
    const listSize = this.context.directives.listSize(parent.name, definition.name);
    const expected = listSize ? this.expectedSize(listSize, definition, node, parent) : undefined;
    const count = isListType(getNullableType(definition.type)) ? (sizedByParent ?? expected ?? this.defaultListSize) : 1;
    const named = getNamedType(definition.type);
    let below = 0;
    if (isCompositeType(named)) {
      const sized =
        listSize && listSize.sizedFields.length > 0 ? new Map(listSize.sizedFields.map((name) => [name, expected ?? this.defaultListSize])) : undefined;
      const sets = subSelections(nodes);
      // An abstract type costs what its most expensive possible type costs.
      for (const possible of this.context.possibleTypes(named)) below = Math.max(below, this.selection(possible, sets, sized).cost);
    }
    const argumentsCost = this.context.argumentsCost(parent, definition, node);
    return { cost: saturate(count * (this.context.typeCost(parent, definition) + below) + argumentsCost), arguments: argumentsCost };
  }

  /** The size slicing arguments give (the largest when several do), else the assumed size. */
  private expectedSize(listSize: ListSize, definition: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLObjectType): number | undefined {
    const given = listSize.slicingArguments
      .map((path) => this.context.argumentValue(definition, node, path))
      .filter((value): value is number => typeof value === 'number');
    if (listSize.requireOneSlicingArgument && listSize.slicingArguments.length > 0 && given.length !== 1) {
      throw new GraphQLError(`${parent.name}.${definition.name} needs exactly one of ${listSize.slicingArguments.join(', ')}, found ${given.length}.`, {
        nodes: [node],
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return given.length > 0 ? Math.max(...given) : listSize.assumedSize;
  }
}

/**
 * Estimates an operation's cost before it runs, by the IBM/Apollo cost specification: objects,
 * interfaces and unions weigh 1 and scalars and enums 0 unless `@cost` says otherwise; a list
 * multiplies its items' cost by the size its slicing arguments give, else its `assumedSize`, else
 * the default list size; `sizedFields` carry that size to the lists inside a connection; argument
 * and input weights add up; a mutation adds 10. Fragments are followed and `@skip`/`@include`
 * honoured. Introspection costs nothing (the schema bounds it, and operation limits its shape).
 *
 * @throws GraphQLError (BAD_USER_INPUT) when a field requiring exactly one slicing argument does
 * not get one; Error when the document does not tell which operation runs.
 */
export function estimateCost(operation: CostedOperation, costSchema: CostSchema, options: EstimateOptions = {}): CostEstimate {
  const context = new CostContext(costSchema, operation);
  const estimator = new Estimator(context, options.defaultListSize ?? DEFAULT_LIST_SIZE, options.maxVisits ?? 100_000);
  const kind = context.operation.operation;
  let selection: { cost: number; arguments: number };
  try {
    selection = estimator.selection(context.rootType(), [context.operation.selectionSet]);
  } catch (error) {
    if (!(error instanceof VisitBudgetExhausted)) throw error;
    const variablesRead = [...context.variablesRead].sort();
    return kind === OperationTypeNode.SUBSCRIPTION ? { cost: MAX_COST, perEvent: MAX_COST, variablesRead } : { cost: MAX_COST, variablesRead };
  }
  const variablesRead = [...context.variablesRead].sort();
  if (kind === OperationTypeNode.SUBSCRIPTION) return { cost: selection.cost, perEvent: saturate(selection.cost - selection.arguments), variablesRead };
  return { cost: saturate((kind === OperationTypeNode.MUTATION ? MUTATION_BASE_COST : 0) + selection.cost), variablesRead };
}
