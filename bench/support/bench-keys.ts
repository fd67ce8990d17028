/**
 * Keys of one benchmark run: the router child signs subgraph calls with `routerKey` (the
 * subgraphs in the parent verify them) and checks client tokens signed with `clientKey`.
 */
import { DEVELOPMENT_ISSUER, ROUTER_AUDIENCE, issueDevelopmentToken } from '../../common/trust/development-key.js';
import { PRODUCT_SCOPES } from '../../common/trust/product-scopes.js';
import { formatRouterKey, parseRouterKey } from '../../common/trust/router-key.js';
import { clientKey, routerKey } from '../../test/support/security.js';
import { signRouterToken } from '../../common/trust/router-token.js';
import { ClientTokenVerifier } from '../../router/auth/client-token-verifier.js';
import { useAuthentication } from '../../router/auth/use-authentication.js';
import { useAuthorization } from '../../router/authorization/use-authorization.js';
import type { RouterPlugin } from '../../router/plugins/contract.js';
import { useSubgraphSigning } from '../../router/subgraph-signing/use-subgraph-signing.js';
import { routerPlugins, type RouterSecurity } from '../../router/config/router-plugins.js';

// The test harnesses' keys: a benchmark may start its stack with them (test/support/router-harness.ts).
export { clientKey, routerKey, subgraphTrust as benchTrust } from '../../test/support/security.js';

/** What a gateway child needs to sign and to check tokens, as IPC-safe strings. */
export interface BenchKeys {
  readonly routerKey: string;
  readonly clientKey: string;
}

export const benchKeys: BenchKeys = { routerKey: formatRouterKey(routerKey), clientKey: formatRouterKey(clientKey) };

/**
 * Headers of a subgraph call as the router signs it (for seeding and for the subgraph-alone
 * benchmarks); `ttlSeconds` makes one token last, for peer gateways that send a fixed header.
 */
export async function routerSignedHeaders(ttlSeconds = 60): Promise<Record<string, string>> {
  const token = await signRouterToken(routerKey, { subject: 'bench', scopes: [...PRODUCT_SCOPES] }, ttlSeconds);
  return { authorization: `Bearer ${token}` };
}

/** A client token with every product scope. */
export async function benchToken(subject = 'bench'): Promise<string> {
  return issueDevelopmentToken(clientKey, { subject, scopes: PRODUCT_SCOPES, ttlSeconds: 6 * 3600 });
}

/** Which plugins a benchmark router runs (see gateway-process.ts). */
export type BenchPlugins = 'signing' | 'auth' | 'all';

/**
 * The router plugins of a benchmark child: signing always (the subgraphs refuse anything
 * unsigned); authentication and authorization with 'auth'; with 'all', every built-in plugin as
 * a development router from `router.yaml` runs them, its rate limits set so high they never refuse.
 */
export async function benchRouterPlugins(keys: BenchKeys, plugins: BenchPlugins): Promise<RouterPlugin[]> {
  const signingKey = parseRouterKey(keys.routerKey);
  const signing = useSubgraphSigning(signingKey);
  if (plugins === 'signing') return [signing];
  const clientTokens = { keys: { kind: 'development' as const, key: parseRouterKey(keys.clientKey) }, issuer: DEVELOPMENT_ISSUER, audience: ROUTER_AUDIENCE };
  if (plugins === 'auth') return [useAuthentication(new ClientTokenVerifier(clientTokens)), useAuthorization(), signing];
  const security: RouterSecurity = { mode: 'development', clientTokens, signingKey, developmentKey: parseRouterKey(keys.clientKey), introspection: true };
  const config = { rate_limit: { requests_per_second: 1_000_000, request_burst: 1_000_000, cost_per_second: 1_000_000_000, cost_burst: 1_000_000_000 } };
  return routerPlugins({ config, file: undefined, directory: process.cwd() }, security);
}
