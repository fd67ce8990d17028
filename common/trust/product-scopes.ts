/**
 * The scopes the product's schemas require (see the `@requiresScopes` directives of the subgraph
 * SDLs): a domain's mutations need its `:write` scope, event metadata and audit trails `audit:read`.
 */
export const PRODUCT_SCOPES = ['inventory:write', 'tracking:write', 'history:write', 'audit:read'] as const;
