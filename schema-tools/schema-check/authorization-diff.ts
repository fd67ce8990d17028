import { Supergraph } from '@apollo/federation-internals';
import { AuthorizationRequirements, type Requirement } from '../../common/supergraph/authorization-requirements.js';
import { ROUTER_FEATURES } from '../../common/supergraph/supported-features.js';
import type { SchemaChange } from './schema-diff.js';

function requirementsOf(supergraphSdl: string): Map<string, Requirement> {
  return new Map(new AuthorizationRequirements(Supergraph.build(supergraphSdl, { supportedFeatures: new Set(ROUTER_FEATURES) })).entries());
}

/** The requirement as a set of demands, each a canonical string (order of alternatives does not matter). */
function demandsOf(requirement: Requirement | undefined): Set<string> {
  const demands = new Set<string>();
  if (!requirement) return demands;
  if (requirement.authenticated || requirement.scopes.length > 0 || requirement.policies.length > 0) demands.add('authenticated');
  const canonical = (kind: string, alternatives: readonly (readonly string[])[]) =>
    `${kind}:${alternatives
      .map((set) => [...set].sort().join('+'))
      .sort()
      .join('|')}`;
  for (const alternatives of requirement.scopes) demands.add(canonical('scopes', alternatives));
  for (const alternatives of requirement.policies) demands.add(canonical('policies', alternatives));
  return demands;
}

function describe(demands: ReadonlySet<string>): string {
  return demands.size === 0 ? 'nothing' : [...demands].join(', ');
}

/**
 * Changes of `@authenticated`, `@requiresScopes` and `@policy` between two supergraphs, field by
 * field (a type's directive counts for every field returning it). A field that demands more than
 * before is a breaking change for the operations that select it (their callers may now get null
 * and an error); one that demands less is dangerous (more callers see it).
 */
export function diffAuthorization(baseSupergraphSdl: string, newSupergraphSdl: string): SchemaChange[] {
  const before = requirementsOf(baseSupergraphSdl);
  const after = requirementsOf(newSupergraphSdl);
  const changes: SchemaChange[] = [];
  for (const coordinate of new Set([...before.keys(), ...after.keys()])) {
    const old = demandsOf(before.get(coordinate));
    const now = demandsOf(after.get(coordinate));
    const added = [...now].filter((demand) => !old.has(demand));
    const removed = [...old].filter((demand) => !now.has(demand));
    if (added.length === 0 && removed.length === 0) continue;
    const tightened = added.length > 0;
    changes.push({
      type: tightened ? 'FIELD_AUTHORIZATION_ADDED' : 'FIELD_AUTHORIZATION_REMOVED',
      path: coordinate,
      message: `Field '${coordinate}' now requires ${describe(now)} (before: ${describe(old)})`,
      criticality: tightened ? 'breaking' : 'dangerous',
      criticalityReason: tightened
        ? 'callers without the new requirement get null and an UNAUTHENTICATED or FORBIDDEN error for this field'
        : 'callers who were refused this field now see it',
      meta: { added, removed },
    });
  }
  return changes;
}
