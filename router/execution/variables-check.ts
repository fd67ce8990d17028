import {
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** True when a value is acceptable for one input type. */
type Check = (value: unknown) => boolean;

type VariablesCheck = (variables: Readonly<Record<string, unknown>>) => boolean;

/** Checks per input type (a reloaded schema has new type objects, so new entries). */
const checksByType = new WeakMap<GraphQLInputType, Check>();
/** The variables check of each operation per schema, by its parsed node (documents are cached by text upstream). */
const checksByOperation = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, VariablesCheck>>();

const never: Check = () => false;

/**
 * A check, per type, of what graphql-js input coercion (`coerceInputValue`) accepts, written for
 * speed: no coerced copy, no error paths, no allocation for valid input. Leaves call the type's own
 * `parseValue`, as coercion does. Anything it does not model (oneOf input objects) is reported as
 * not acceptable, so the caller asks graphql-js, which also words the errors.
 */
function checkOf(type: GraphQLInputType): Check {
  const cached = checksByType.get(type);
  if (cached) return cached;
  let check: Check;
  if (isNonNullType(type)) {
    const inner = checkOf(type.ofType);
    check = (value) => value !== null && value !== undefined && inner(value);
  } else {
    const present = presentCheckOf(type);
    check = (value) => value === null || value === undefined || present(value);
  }
  checksByType.set(type, check);
  return check;
}

/** The check of a nullable type for a value that is neither null nor undefined. */
function presentCheckOf(type: GraphQLInputType): Check {
  if (isListType(type)) {
    const item = checkOf(type.ofType);
    return (value) => {
      if (!Array.isArray(value)) {
        // Other iterables are left to graphql-js; any other single value stands for a list of one.
        if (typeof value === 'object' && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return false;
        return item(value);
      }
      for (const element of value) if (!item(element)) return false;
      return true;
    };
  }
  if (isInputObjectType(type)) {
    if (type.isOneOf) return never;
    // Built on first use: input objects may refer to themselves.
    let fields: Array<{ name: string; check: Check; required: boolean }> | undefined;
    let known: Set<string> | undefined;
    return (value) => {
      if (typeof value !== 'object' || value === null) return false;
      if (!fields || !known) {
        fields = Object.values(type.getFields()).map((field) => ({
          name: field.name,
          check: checkOf(field.type),
          required: isNonNullType(field.type) && field.defaultValue === undefined,
        }));
        known = new Set(fields.map((field) => field.name));
      }
      const record = value as Record<string, unknown>;
      for (const field of fields) {
        const fieldValue = record[field.name];
        if (fieldValue === undefined ? field.required : !field.check(fieldValue)) return false;
      }
      for (const key in record) if (!known.has(key)) return false;
      return true;
    };
  }
  if (isScalarType(type) || isEnumType(type)) {
    return (value) => {
      try {
        return type.parseValue(value) !== undefined;
      } catch {
        return false;
      }
    };
  }
  return never;
}

/**
 * True when graphql-js would coerce `variables` for `operation` without an error; false when it
 * would report one, or when this check cannot tell (the caller then runs graphql-js's own).
 */
export function variablesAreValid(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): boolean {
  let ofSchema = checksByOperation.get(schema);
  if (!ofSchema) {
    ofSchema = new WeakMap();
    checksByOperation.set(schema, ofSchema);
  }
  let check = ofSchema.get(operation);
  if (!check) {
    check = compileVariablesCheck(schema, operation);
    ofSchema.set(operation, check);
  }
  return check(variables);
}

function compileVariablesCheck(schema: GraphQLSchema, operation: OperationDefinitionNode): VariablesCheck {
  const definitions: Array<{ name: string; check: Check; required: boolean }> = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type);
    // Not an input type (or unknown): graphql-js reports it whatever the values.
    if (!type || !isInputType(type)) return () => false;
    definitions.push({ name: definition.variable.name.value, check: checkOf(type), required: isNonNullType(type) && !definition.defaultValue });
  }
  return (values) => {
    for (const definition of definitions) {
      if (!Object.hasOwn(values, definition.name)) {
        if (definition.required) return false;
        continue;
      }
      if (!definition.check(values[definition.name])) return false;
    }
    return true;
  };
}
