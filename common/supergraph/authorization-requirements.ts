import type { NamedType, Schema, Supergraph } from '@apollo/federation-internals';

/**
 * One directive's demand: any of the alternatives, each a set of names that must all be held
 * (`@requiresScopes(scopes: [["a", "b"], ["c"]])`: a and b, or c).
 */
export type Alternatives = readonly (readonly string[])[];

/** Everything a field (or type) requires of its caller; every listed demand must be met. */
export interface Requirement {
  readonly authenticated: boolean;
  readonly scopes: readonly Alternatives[];
  readonly policies: readonly Alternatives[];
}

const NONE: Requirement = { authenticated: false, scopes: [], policies: [] };

function merge(a: Requirement, b: Requirement): Requirement {
  if (a === NONE) return b;
  if (b === NONE) return a;
  return { authenticated: a.authenticated || b.authenticated, scopes: [...a.scopes, ...b.scopes], policies: [...a.policies, ...b.policies] };
}

/** True when nothing is required. */
export function isOpen(requirement: Requirement): boolean {
  return !requirement.authenticated && requirement.scopes.length === 0 && requirement.policies.length === 0;
}

const FEATURES = {
  authenticated: 'https://specs.apollo.dev/authenticated',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes',
  policy: 'https://specs.apollo.dev/policy',
} as const;

interface DirectiveNames {
  readonly authenticated: string | undefined;
  readonly requiresScopes: string | undefined;
  readonly policy: string | undefined;
}

/** The directives' names in this supergraph (a subgraph may import them under other names). */
function directiveNames(schema: Schema): DirectiveNames {
  const features = schema.coreFeatures;
  const nameOf = (identity: string, directive: string) => features?.getByIdentity(identity)?.directiveNameInSchema(directive);
  return {
    authenticated: nameOf(FEATURES.authenticated, 'authenticated'),
    requiresScopes: nameOf(FEATURES.requiresScopes, 'requiresScopes'),
    policy: nameOf(FEATURES.policy, 'policy'),
  };
}

interface Directed {
  readonly appliedDirectives: ReadonlyArray<{ readonly name: string; arguments(): Readonly<Record<string, unknown>> }>;
}

function alternativesOf(value: unknown): Alternatives {
  if (!Array.isArray(value)) return [];
  return value.map((set) => (Array.isArray(set) ? set.filter((item): item is string => typeof item === 'string') : []));
}

function requirementOf(element: Directed, names: DirectiveNames): Requirement {
  let requirement = NONE;
  for (const directive of element.appliedDirectives) {
    if (directive.name === names.authenticated) requirement = merge(requirement, { ...NONE, authenticated: true });
    else if (directive.name === names.requiresScopes) requirement = merge(requirement, { ...NONE, scopes: [alternativesOf(directive.arguments().scopes)] });
    else if (directive.name === names.policy) requirement = merge(requirement, { ...NONE, policies: [alternativesOf(directive.arguments().policies)] });
  }
  return requirement;
}

/**
 * What each field of the API requires, from the authorization directives composed into the
 * supergraph (`@authenticated`, `@requiresScopes`, `@policy`). A field's requirement is its own
 * plus that of the type it returns; on an interface, also that of every implementation's field.
 */
export class AuthorizationRequirements {
  private readonly fields = new Map<string, Requirement>();

  constructor(supergraph: Supergraph) {
    const schema = supergraph.schema;
    const names = directiveNames(schema);
    if (!names.authenticated && !names.requiresScopes && !names.policy) return;
    const typeRequirements = new Map<string, Requirement>();
    for (const type of schema.types()) typeRequirements.set(type.name, requirementOf(type, names));
    const ownField = (type: NamedType, field: string): Requirement => {
      if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType') return NONE;
      const definition = type.field(field);
      if (!definition) return NONE;
      return merge(requirementOf(definition, names), typeRequirements.get(definition.type ? baseName(definition.type) : '') ?? NONE);
    };
    for (const type of schema.types()) {
      if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType') continue;
      for (const field of type.fields()) {
        let requirement = ownField(type, field.name);
        if (type.kind === 'InterfaceType') {
          for (const implementation of type.possibleRuntimeTypes()) requirement = merge(requirement, ownField(implementation, field.name));
        }
        if (!isOpen(requirement)) this.fields.set(`${type.name}.${field.name}`, requirement);
      }
    }
  }

  /** True when no field of the API requires anything. */
  get isEmpty(): boolean {
    return this.fields.size === 0;
  }

  /** Every restricted field, by `Type.field`. */
  entries(): IterableIterator<[string, Requirement]> {
    return this.fields.entries();
  }

  /** The requirement of `Type.field`, undefined when it is open to everyone. */
  of(typeName: string, fieldName: string): Requirement | undefined {
    return this.fields.get(`${typeName}.${fieldName}`);
  }
}

function baseName(type: { readonly kind: string; readonly name?: string; readonly ofType?: unknown }): string {
  let current: { readonly kind: string; readonly name?: string; readonly ofType?: unknown } = type;
  while ((current.kind === 'NonNullType' || current.kind === 'ListType') && current.ofType) current = current.ofType as typeof current;
  return current.name ?? '';
}
