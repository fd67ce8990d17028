import {
  TypeInfo,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Adds the coordinates a client may send through a variable of this input type: the type, every
 * input field (recursively) and every enum value, since the variable's value is only known at
 * run time.
 */
function addInputTypeDeep(type: GraphQLNamedType, coordinates: Set<string>): void {
  if (coordinates.has(type.name)) return;
  coordinates.add(type.name);
  if (isEnumType(type)) {
    for (const value of type.getValues()) coordinates.add(`${type.name}.${value.name}`);
  } else if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      coordinates.add(`${type.name}.${field.name}`);
      addInputTypeDeep(getNamedType(field.type), coordinates);
    }
  }
}

/**
 * Collects the schema coordinates a client document uses, resolved against `schema` (the base
 * API schema), in graphql-inspector's path format:
 * - `Type` for every type named or selected through,
 * - `Type.field` for selected fields (also on each possible type of an abstract parent),
 * - `Type.field.arg` for arguments passed, `@directive` / `@directive.arg` for directives,
 * - `Input.field` and `Enum.VALUE` for literals, and for everything reachable from a variable's
 *   type (its value is unknown until run time).
 */
export function collectSchemaCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);

  const addField = (parent: GraphQLNamedType, field: string, suffix = '') => {
    coordinates.add(parent.name);
    coordinates.add(`${parent.name}.${field}${suffix}`);
    if (isAbstractType(parent)) {
      for (const possible of schema.getPossibleTypes(parent)) {
        coordinates.add(`${possible.name}.${field}${suffix}`);
      }
    }
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        const root = schema.getRootType(node.operation);
        if (root) coordinates.add(root.name);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (type) addInputTypeDeep(getNamedType(type), coordinates);
      },
      NamedType(node) {
        coordinates.add(node.name.value);
      },
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || node.name.value.startsWith('__')) return;
        addField(parent, field.name);
        coordinates.add(getNamedType(field.type).name);
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        if (directive) {
          coordinates.add(`@${directive.name}.${node.name.value}`);
          return;
        }
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) addField(parent, field.name, `.${node.name.value}`);
      },
      Directive(node) {
        coordinates.add(`@${node.name.value}`);
      },
      ObjectValue() {
        const type = typeInfo.getInputType();
        if (type) coordinates.add(getNamedType(type).name);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : undefined;
        if (named && isInputObjectType(named)) {
          coordinates.add(named.name);
          coordinates.add(`${named.name}.${node.name.value}`);
        }
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named && isEnumType(named)) {
          coordinates.add(named.name);
          coordinates.add(`${named.name}.${node.value}`);
        }
      },
    }),
  );
  return coordinates;
}
