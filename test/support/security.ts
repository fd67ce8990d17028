import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEVELOPMENT_ISSUER, ROUTER_AUDIENCE, issueDevelopmentToken } from '../../common/trust/development-key.js';
import { PRODUCT_SCOPES } from '../../common/trust/product-scopes.js';
import { generateRouterKey } from '../../common/trust/router-key.js';
import { ROUTER_SUBJECT, RouterTokenVerifier, signRouterToken } from '../../common/trust/router-token.js';
import { ClientTokenVerifier } from '../../router/auth/client-token-verifier.js';
import type { RouterConfig } from '../../router/config/config-schema.js';
import { routerPlugins, type RouterSecurity } from '../../router/config/router-plugins.js';
import type { RouterPlugin } from '../../router/plugins/contract.js';

/**
 * The keys of one test file: the router signs its subgraph calls with `routerKey` (subgraphs
 * verify with `subgraphTrust`), and client tokens are signed with `clientKey`, as with the
 * development key of `npm start`.
 */
export const routerKey = generateRouterKey();
export const clientKey = generateRouterKey();
export const subgraphTrust = new RouterTokenVerifier(routerKey);

/** What a direct call to a subgraph asserts, as the router would. */
export interface RouterCall {
  readonly actor?: string;
  readonly correlationId?: string;
  readonly scopes?: readonly string[];
}

/** Headers of a subgraph call signed as the router signs them. */
export async function signedByRouter(call: RouterCall = {}): Promise<Record<string, string>> {
  const token = await signRouterToken(routerKey, { subject: call.actor ?? 'test-user', scopes: call.scopes ?? [...PRODUCT_SCOPES] });
  return { authorization: `Bearer ${token}`, 'x-correlation-id': call.correlationId ?? randomUUID() };
}

/** A router connection token that outlives a test file, for graphql-ws clients straight to a subgraph. */
const connectionToken = await signRouterToken(routerKey, { subject: ROUTER_SUBJECT, scopes: [] }, 3_600);

/** A WebSocket that opens its upgrade with the router's signature, as the router's upstream sockets do. */
export class RouterSignedWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { headers: { authorization: `Bearer ${connectionToken}` } });
  }
}

/** A client token for the test router. */
export async function clientToken(subject: string, scopes: readonly string[] = PRODUCT_SCOPES, ttlSeconds = 3_600): Promise<string> {
  return issueDevelopmentToken(clientKey, { subject, scopes, ttlSeconds });
}

/** `authorization` headers of a client token. */
export async function bearer(subject = 'tester', scopes: readonly string[] = PRODUCT_SCOPES): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await clientToken(subject, scopes)}` };
}

/** The verifier the test router checks client tokens with. */
export function testClientTokens(): ClientTokenVerifier {
  return new ClientTokenVerifier({ keys: { kind: 'development', key: clientKey }, issuer: DEVELOPMENT_ISSUER, audience: ROUTER_AUDIENCE });
}

/** The security settings of a development router on the test keys. */
export function testSecurity(): RouterSecurity {
  return {
    mode: 'development',
    clientTokens: { keys: { kind: 'development', key: clientKey }, issuer: DEVELOPMENT_ISSUER, audience: ROUTER_AUDIENCE },
    signingKey: routerKey,
    developmentKey: clientKey,
    introspection: true,
  };
}

/**
 * The built-in plugins of a development router on the test keys, as `routerPlugins` builds them
 * from a config (rate limits off unless the config turns them on: tests fire bursts on purpose).
 * `extra` plugins run first.
 */
export async function testRouterPlugins(options: { config?: RouterConfig; extra?: readonly RouterPlugin[] } = {}): Promise<RouterPlugin[]> {
  const config: RouterConfig = { ...options.config, rate_limit: { enabled: false, ...options.config?.rate_limit } };
  return [...(options.extra ?? []), ...(await routerPlugins({ config, file: undefined, directory: process.cwd() }, testSecurity()))];
}

/** A GraphQL response with its HTTP status. */
export interface SignedResponse {
  readonly status: number;
  readonly data?: Record<string, any> | null;
  readonly errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** POSTs one operation straight to a subgraph, signed as the router would sign it. */
export async function postAsRouter(url: string, query: string, variables: Record<string, unknown> = {}, call: RouterCall = {}): Promise<SignedResponse> {
  return postRaw(url, query, variables, await signedByRouter(call));
}

/** POSTs one operation with exactly these headers (no router signature unless given). */
export async function postRaw(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<SignedResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<SignedResponse, 'status'>;
  try {
    body = JSON.parse(text) as Omit<SignedResponse, 'status'>;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, ...body };
}

/** A graphql-ws client straight to a subgraph, its socket signed as the router signs its own. */
export function subgraphWsClient(url: string): Client {
  return createClient({ url, webSocketImpl: RouterSignedWebSocket, retryAttempts: 0, lazy: true });
}
