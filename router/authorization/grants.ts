import type { Identity } from '../context/router-context.js';
import type { Alternatives, Requirement } from '../../common/supergraph/authorization-requirements.js';

/** What a caller holds: its identity (and scopes) and the policies granted to it for this operation. */
export interface Grants {
  readonly identity: Identity | undefined;
  readonly policies: ReadonlySet<string>;
}

function anyHeld(alternatives: Alternatives, held: ReadonlySet<string>): boolean {
  return alternatives.some((set) => set.every((name) => held.has(name)));
}

/** True when the caller meets every demand of the requirement. */
export function isSatisfied(requirement: Requirement, grants: Grants): boolean {
  const { identity } = grants;
  if (!identity) return requirement.authenticated === false && requirement.scopes.length === 0 && requirement.policies.length === 0;
  return (
    requirement.scopes.every((alternatives) => anyHeld(alternatives, identity.scopes)) &&
    requirement.policies.every((alternatives) => anyHeld(alternatives, grants.policies))
  );
}
