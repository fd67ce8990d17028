import { operationFromDocument } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { Kind, getNamedType, isObjectType, parse, print, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';

/** Field every streamed item carries: the global position of its event. */
export const POSITION_FIELD = 'position';
/** Argument every subscription field accepts to resume after a position. */
export const RESUME_ARGUMENT = 'after';
/** Alias under which the router asks for the position it needs for resuming. */
export const POSITION_ALIAS = '__tributaryPosition';
/** Variable through which the router sets the resume position on the upstream subscription. */
export const RESUME_VARIABLE = '__tributaryResume';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** A client subscription, planned once and run for every event. */
export interface SubscriptionPlan {
  readonly kind: 'subscription';
  /** The planner's plan, whose node is the Subscription node. */
  readonly queryPlan: QueryPlan;
  /** The upstream subscription to the owning subgraph. */
  readonly primary: FetchNode;
  /** Entity fetches in other subgraphs, run for each event. */
  readonly rest: PlanNode | undefined;
  /** The client's own operation, used to shape each result to its selection. */
  readonly operationContext: OperationContext;
  /** Response key of the subscription root field. */
  readonly rootKey: string;
  /** Name of the subscription root field. */
  readonly rootField: string;
  /** True when the root field streams positions and accepts `after`: the upstream can resume. */
  readonly resumable: boolean;
}

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations[0];
  if (!operation) throw new Error(`operation ${operationName ?? ''} not found`);
  return operation;
}

function rootFieldOf(operation: OperationDefinitionNode): FieldNode | undefined {
  const [first] = operation.selectionSet.selections;
  return first?.kind === Kind.FIELD ? first : undefined;
}

/** Adds `__tributaryPosition: position` to the root field's selection of the client operation. */
function withPositionSelection(document: DocumentNode, operation: OperationDefinitionNode, root: FieldNode): DocumentNode {
  const positionField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: POSITION_ALIAS },
    name: { kind: Kind.NAME, value: POSITION_FIELD },
  };
  return visit(document, {
    Field: (node) =>
      node === root && node.selectionSet
        ? { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, positionField] } }
        : undefined,
    OperationDefinition: (node) => (node === operation ? undefined : null),
  });
}

/**
 * Rewrites the primary fetch so its root field reads `after` from a router-owned variable: the
 * router can then move the resume position forward with every event, and a re-subscription after
 * a dropped socket continues where the stream stopped.
 */
function withResumeVariable(fetch: FetchNode): FetchNode {
  const document = parse(fetch.operation, { noLocation: true });
  const rewritten = visit(document, {
    OperationDefinition: (node) => ({
      ...node,
      variableDefinitions: [
        ...(node.variableDefinitions ?? []),
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_VARIABLE } },
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
        },
      ],
      selectionSet: {
        ...node.selectionSet,
        selections: node.selectionSet.selections.map((selection, index) =>
          index !== 0 || selection.kind !== Kind.FIELD
            ? selection
            : {
                ...selection,
                arguments: [
                  ...(selection.arguments ?? []).filter((argument) => argument.name.value !== RESUME_ARGUMENT),
                  {
                    kind: Kind.ARGUMENT,
                    name: { kind: Kind.NAME, value: RESUME_ARGUMENT },
                    value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_VARIABLE } },
                  },
                ],
              },
        ),
      },
    }),
  });
  // The client's own variable for `after` (if any) is now unused upstream; drop its definition.
  const used = new Set<string>();
  visit(rewritten, { OperationDefinition: { enter: (node) => ({ ...node, variableDefinitions: [] }) }, Variable: (node) => void used.add(node.name.value) });
  const pruned = visit(rewritten, {
    OperationDefinition: (node) => ({
      ...node,
      variableDefinitions: (node.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value)),
    }),
  });
  return {
    ...fetch,
    operation: print(pruned),
    operationDocumentNode: pruned,
    variableUsages: [...(fetch.variableUsages ?? []).filter((name) => used.has(name)), RESUME_VARIABLE],
  };
}

/**
 * The client's own `after` on the subscription root field (a literal or a variable), where the
 * upstream subscription starts. Plans do not depend on it, so one plan serves every client.
 */
export function initialResumeOf(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): string | null {
  const root = rootFieldOf(operation);
  const after = root?.arguments?.find((argument) => argument.name.value === RESUME_ARGUMENT);
  if (after?.value.kind === Kind.STRING) return after.value.value;
  if (after?.value.kind === Kind.VARIABLE) {
    const value = variables[after.value.name.value];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/**
 * Plans a validated subscription operation against the loaded supergraph. The plan depends on the
 * operation only, not on variable values (the gateway applies @skip/@include when executing).
 */
export function planSubscription(loaded: LoadedSupergraph, document: DocumentNode, operationName: string | null | undefined): SubscriptionPlan {
  const operation = operationOf(document, operationName);
  const root = rootFieldOf(operation);
  const rootDefinition = root ? loaded.schema.getSubscriptionType()?.getFields()[root.name.value] : undefined;
  const itemType = rootDefinition ? getNamedType(rootDefinition.type) : undefined;
  const resumable = Boolean(
    root?.selectionSet &&
    rootDefinition?.args.some((argument) => argument.name === RESUME_ARGUMENT) &&
    itemType &&
    isObjectType(itemType) &&
    itemType.getFields()[POSITION_FIELD],
  );
  const planned = resumable && root ? withPositionSelection(document, operation, root) : document;
  const plan = loaded.planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, planned, { operationName: operationName ?? undefined }));
  const node = plan.node;
  if (!node || node.kind !== 'Subscription') throw new Error('the operation did not plan as a subscription');
  return {
    kind: 'subscription',
    queryPlan: plan,
    primary: resumable ? withResumeVariable(node.primary) : node.primary,
    rest: node.rest,
    operationContext: buildOperationContext({ schema: loaded.schema, operationDocument: document, ...(operationName ? { operationName } : {}) }),
    rootKey: root ? (root.alias?.value ?? root.name.value) : '',
    rootField: root?.name.value ?? '',
    resumable,
  };
}
