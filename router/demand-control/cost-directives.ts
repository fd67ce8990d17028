import { costIdentity, Supergraph, type NamedType, type Schema } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/** `@listSize` on a field: how many items a list field (or the lists under it) returns. */
export interface ListSize {
  /** Size when no slicing argument gives one. */
  readonly assumedSize: number | undefined;
  /** Arguments whose value bounds the list (e.g. `first`); dotted paths reach into input objects. */
  readonly slicingArguments: readonly string[];
  /** Fields of the returned object that the size applies to (e.g. a connection's `edges`). */
  readonly sizedFields: readonly string[];
  /** When true, an operation must give exactly one slicing argument a value. */
  readonly requireOneSlicingArgument: boolean;
}

/** The `@cost` weights and `@listSize` sizes of a schema, by schema coordinate. */
export interface CostDirectives {
  /** `@cost` on an object, scalar or enum type. */
  typeWeight(typeName: string): number | undefined;
  /** `@cost` on an output field. */
  fieldWeight(typeName: string, fieldName: string): number | undefined;
  /** `@cost` on a field argument. */
  argumentWeight(typeName: string, fieldName: string, argumentName: string): number | undefined;
  /** `@cost` on an input object field. */
  inputFieldWeight(typeName: string, fieldName: string): number | undefined;
  listSize(typeName: string, fieldName: string): ListSize | undefined;
}

/** What cost estimation needs: the client-facing schema and the cost directives of its supergraph. */
export interface CostSchema {
  readonly schema: GraphQLSchema;
  readonly directives: CostDirectives;
}

/** One application of a directive, as federation-internals gives it. */
interface Application {
  arguments(includeDefaultValues?: boolean): Readonly<Record<string, unknown>>;
}

function weightOf(applications: readonly Application[]): number | undefined {
  const weight = applications[0]?.arguments().weight;
  return typeof weight === 'number' ? weight : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function listSizeOf(application: Application | undefined): ListSize | undefined {
  if (!application) return undefined;
  const args = application.arguments(true);
  return {
    assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : undefined,
    slicingArguments: stringList(args.slicingArguments),
    sizedFields: stringList(args.sizedFields),
    requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
  };
}

/**
 * Reads `@cost` and `@listSize` from a supergraph (federation-internals form). Composition keeps
 * them under the names the cost feature's `@link` gives them (by default `@cost` and
 * `@cost__listSize`, or the imported names), so they are looked up through that link. A
 * supergraph without the feature has no weights: every estimate uses the default rules.
 */
export function readCostDirectives(schema: Schema): CostDirectives {
  const types = new Map<string, number>();
  const fields = new Map<string, number>();
  const args = new Map<string, number>();
  const inputFields = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const feature = schema.coreFeatures?.getByIdentity(costIdentity);
  const cost = feature ? schema.directive(feature.directiveNameInSchema('cost')) : undefined;
  const listSize = feature ? schema.directive(feature.directiveNameInSchema('listSize')) : undefined;

  const record = (map: Map<string, number>, key: string, weight: number | undefined) => {
    if (weight !== undefined) map.set(key, weight);
  };
  const visit = (type: NamedType) => {
    if (cost) record(types, type.name, weightOf(type.appliedDirectivesOf(cost)));
    if (type.kind === 'ObjectType' || type.kind === 'InterfaceType') {
      for (const field of type.fields()) {
        const coordinate = `${type.name}.${field.name}`;
        if (cost) {
          record(fields, coordinate, weightOf(field.appliedDirectivesOf(cost)));
          for (const argument of field.arguments()) record(args, `${coordinate}(${argument.name}:)`, weightOf(argument.appliedDirectivesOf(cost)));
        }
        const size = listSize ? listSizeOf(field.appliedDirectivesOf(listSize)[0]) : undefined;
        if (size) listSizes.set(coordinate, size);
      }
    } else if (type.kind === 'InputObjectType' && cost) {
      for (const field of type.fields()) record(inputFields, `${type.name}.${field.name}`, weightOf(field.appliedDirectivesOf(cost)));
    }
  };
  if (cost || listSize) for (const type of schema.types()) visit(type);

  return {
    typeWeight: (typeName) => types.get(typeName),
    fieldWeight: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`),
    argumentWeight: (typeName, fieldName, argumentName) => args.get(`${typeName}.${fieldName}(${argumentName}:)`),
    inputFieldWeight: (typeName, fieldName) => inputFields.get(`${typeName}.${fieldName}`),
    listSize: (typeName, fieldName) => listSizes.get(`${typeName}.${fieldName}`),
  };
}

/** The cost schema of a loaded supergraph: its API schema and its cost directives. */
export function costSchemaOf(supergraph: Supergraph, apiSchema: GraphQLSchema = supergraph.apiSchema().toGraphQLJSSchema()): CostSchema {
  return { schema: apiSchema, directives: readCostDirectives(supergraph.schema) };
}

/** The cost schema of a supergraph SDL (tools and tests; the router reuses its loaded supergraph). */
export function costSchemaFromSupergraphSdl(sdl: string): CostSchema {
  return costSchemaOf(Supergraph.build(sdl, { supportedFeatures: null }));
}
