import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES } from '@apollo/federation-internals';

/**
 * Linked features the router enforces, on top of what @apollo/gateway supports. A supergraph that
 * links a feature `for: SECURITY` or `for: EXECUTION` must be refused by a router that does not
 * implement it, so this list names only what the router really applies: the authorization
 * directives (`@authenticated`, `@requiresScopes`, `@policy`) and demand control (`@cost`,
 * `@listSize`).
 */
export const ROUTER_FEATURES: ReadonlySet<string> = new Set([
  ...DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES,
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
  'https://specs.apollo.dev/policy/v0.1',
  'https://specs.apollo.dev/cost/v0.1',
]);
