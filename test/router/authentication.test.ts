import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { developmentKeyPath } from '../../common/trust/development-key.js';
import { formatRouterKey } from '../../common/trust/router-key.js';
import { ClientTokenVerifier } from '../../router/auth/client-token-verifier.js';
import { loadRouterConfig } from '../../router/config/load-router-config.js';
import { resolveRouterSecurity, routerPlugins } from '../../router/config/router-plugins.js';
import { startRouter, type RunningRouter } from '../../router/start-router.js';
import { staticSupergraph } from '../../router/supergraph/supergraph-source.js';
import { collect, eventually, wsClient, type GraphQLResponse } from '../support/graphql-clients.js';
import { PROVIDER_AUDIENCE, PROVIDER_ISSUER, forged, startIdentityProvider, unsigned, type IdentityProvider } from '../support/identity-provider.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { clientToken, routerKey } from '../support/security.js';
import { messageText } from '../../common/websocket/message-text.js';

let stack: RouterStack;
let provider: IdentityProvider;
let router: RunningRouter;
let dataDir: string;

const WRITE_SCOPES = ['inventory:write', 'audit:read'];

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, authenticate: response.headers.get('www-authenticate'), ...((await response.json()) as GraphQLResponse) };
}

const REGISTER = `mutation($id: ID!) { registerStore(input: { id: $id, name: "Porto" }) { store { id } events { metadata { actor } } } }`;

/** Opens a raw graphql-transport-ws socket, sends connection_init with `payload`, and reports how it ended. */
async function connect(
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ acknowledged: boolean; code?: number; reason?: string }> {
  const socket = new WebSocket(router.wsUrl, 'graphql-transport-ws', { headers });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      if ((JSON.parse(messageText(data)) as { type: string }).type === 'connection_ack') {
        socket.close();
        resolve({ acknowledged: true });
      }
    });
    socket.on('close', (code, reason) => resolve({ acknowledged: false, code, reason: String(reason) }));
  });
}

beforeAll(async () => {
  stack = await startRouterStack();
  provider = await startIdentityProvider();
  dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-auth-'));
  const file = path.join(dataDir, 'router.yaml');
  await writeFile(
    file,
    [
      'authentication:',
      '  jwt:',
      '    jwks_url: ${env.TEST_JWKS_URL}',
      `    issuer: ${PROVIDER_ISSUER}`,
      `    audience: ${PROVIDER_AUDIENCE}`,
      '    algorithms: [ES256]',
      '    clock_tolerance_seconds: 0',
      '    jwks_cooldown_seconds: 1',
      'subgraphs:',
      '  signing_key: ${env.TEST_ROUTER_KEY}',
      '',
    ].join('\n'),
  );
  const env = { TEST_JWKS_URL: provider.jwksUrl, TEST_ROUTER_KEY: formatRouterKey(routerKey) };
  const loaded = await loadRouterConfig(file, env);
  const security = await resolveRouterSecurity(loaded, { dataDir, env });
  router = await startRouter({
    supergraph: staticSupergraph(stack.supergraphSdl),
    port: 0,
    logger: silentLogger,
    plugins: await routerPlugins(loaded, security),
  });
});
afterAll(async () => {
  await router.close();
  await provider.close();
  await stack.close();
});

describe('a router configured with an identity provider (production)', () => {
  it('creates no development key, refuses development tokens and turns introspection off', async () => {
    expect(existsSync(developmentKeyPath(dataDir))).toBe(false);
    const development = await post('{ __typename }', {}, { authorization: `Bearer ${await clientToken('dev')}` });
    expect(development.status).toBe(401);
    expect(development.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const introspection = await post('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
  });

  it("accepts a valid token: the mutation runs and its events record the token's subject", async () => {
    const response = await post(REGISTER, { id: 'porto-1' }, { authorization: `Bearer ${await provider.token({ subject: 'alice', scopes: WRITE_SCOPES })}` });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ registerStore: { store: { id: 'porto-1' }, events: [{ metadata: { actor: 'alice' } }] } });
  });

  it('refuses a bad, forged, unsigned, expired, wrong-issuer or wrong-audience token with 401 UNAUTHENTICATED', async () => {
    const valid = await provider.token({ subject: 'mallory', scopes: WRITE_SCOPES });
    const cases: Record<string, string> = {
      'not a JWT': 'Bearer not.a.jwt',
      'another scheme': `Basic ${Buffer.from('a:b').toString('base64')}`,
      'forged signature': `Bearer ${await forged(valid)}`,
      'alg none': `Bearer ${unsigned(valid)}`,
      expired: `Bearer ${await provider.token({ subject: 'mallory', expiresIn: -60 })}`,
      'wrong issuer': `Bearer ${await provider.token({ subject: 'mallory', issuer: 'https://elsewhere.test/' })}`,
      'wrong audience': `Bearer ${await provider.token({ subject: 'mallory', audience: 'another-api' })}`,
      'a reserved subject': `Bearer ${await provider.token({ subject: 'system:reservation-expirer' })}`,
    };
    for (const [name, authorization] of Object.entries(cases)) {
      const response = await post('{ __typename }', {}, { authorization });
      expect({ name, status: response.status, code: response.errors?.[0]?.extensions?.code, data: response.data }).toEqual({
        name,
        status: 401,
        code: 'UNAUTHENTICATED',
        data: undefined,
      });
      expect(response.authenticate).toBe('Bearer');
    }
  });

  it('refetches the JWKS once for an unknown key id, then refuses without refetching until the cooldown passed', async () => {
    await provider.addUnpublishedKey('key-2');
    // Let the cooldown after the last fetch pass (the cooldown is what this test is about).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = provider.fetches();
    const first = await post('{ __typename }', {}, { authorization: `Bearer ${await provider.token({ subject: 'bob', kid: 'key-2' })}` });
    expect(first.status).toBe(401);
    expect(provider.fetches()).toBe(before + 1);
    const second = await post('{ __typename }', {}, { authorization: `Bearer ${await provider.token({ subject: 'carol', kid: 'key-2' })}` });
    expect(second.status).toBe(401);
    expect(provider.fetches()).toBe(before + 1);
    // The provider rotates: once it publishes the key, a token signed with it is accepted.
    provider.publish('key-2');
    // The cooldown again: the refetch is allowed only once it has passed, which is the subject here.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const rotated = await post('{ __typename }', {}, { authorization: `Bearer ${await provider.token({ subject: 'dave', kid: 'key-2' })}` });
    expect(rotated).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    expect(provider.fetches()).toBe(before + 2);
  });

  it('closes a WebSocket that presents a bad token with 4403 and the code in the reason', async () => {
    const valid = await provider.token({ subject: 'erin' });
    expect(await connect({ authorization: `Bearer ${valid}` })).toEqual({ acknowledged: true });
    expect(await connect({ Authorization: `Bearer ${valid}` })).toEqual({ acknowledged: true });
    expect(await connect({}, { authorization: `Bearer ${valid}` })).toEqual({ acknowledged: true });
    expect(await connect({})).toEqual({ acknowledged: true });
    const bad = [
      `Bearer ${await forged(valid)}`,
      `Bearer ${unsigned(valid)}`,
      `Bearer ${await provider.token({ subject: 'erin', expiresIn: -60 })}`,
      `Bearer ${await provider.token({ subject: 'erin', audience: 'another-api' })}`,
      `Bearer ${await provider.token({ subject: 'erin', issuer: 'https://elsewhere.test/' })}`,
    ];
    for (const authorization of bad) {
      const outcome = await connect({ authorization });
      expect(outcome.acknowledged).toBe(false);
      expect(outcome.code).toBe(4403);
      expect(outcome.reason).toMatch(/^UNAUTHENTICATED: /);
    }
    // A bad token in the upgrade request's header is refused the same way.
    expect(await connect({}, { authorization: bad[0]! })).toMatchObject({ acknowledged: false, code: 4403 });
  });

  it('closes a WebSocket with 4403 when its token expires; a reconnect with a fresh token and `after` misses nothing', async () => {
    const headers = { authorization: `Bearer ${await provider.token({ subject: 'alice', scopes: WRITE_SCOPES })}` };
    const key = { productId: 'expiring-product', storeId: 'expiring-store' };
    const created = await post(
      `mutation { registerProduct(input: { id: "${key.productId}", sku: "EXP-1", name: "Tea" }) { product { id } } registerStore(input: { id: "${key.storeId}", name: "Vigo" }) { events { position } } }`,
      {},
      headers,
    );
    expect(created.errors).toBeUndefined();
    const start = created.data!.registerStore.events[0].position as string;
    const addStock = async (quantity: number) => {
      const response = await post(
        `mutation($q: Int!) { addStock(input: { productId: "${key.productId}", storeId: "${key.storeId}", quantity: $q }) { stockLevel { total position } } }`,
        { q: quantity },
        headers,
      );
      expect(response.errors).toBeUndefined();
      return response.data!.addStock.stockLevel as { total: number; position: string };
    };
    const SUBSCRIPTION = `subscription($after: String) { stockLevelChanged(productId: "${key.productId}", storeId: "${key.storeId}", after: $after) { total position } }`;

    let closed: { code: number; reason: string; at: number } | undefined;
    const shortLived = await provider.token({ subject: 'alice', expiresIn: 2 });
    const opened = Date.now();
    const first = wsClient(router.wsUrl, {
      connectionParams: { authorization: `Bearer ${shortLived}` },
      on: { closed: (event) => void (closed ??= { code: (event as { code: number }).code, reason: (event as { reason: string }).reason, at: Date.now() }) },
    });
    const firstStream = collect(first, SUBSCRIPTION, { after: start });
    const seen: Array<{ total: number; position: string }> = [];
    await addStock(1);
    await firstStream.waitFor(1);
    await eventually(() => closed !== undefined, 6_000, 'the close at expiry');
    expect(closed!.code).toBe(4403);
    expect(closed!.reason).toMatch(/token expired/);
    expect(closed!.at - opened).toBeGreaterThan(1_000);
    expect(closed!.at - opened).toBeLessThan(4_500);
    for (const result of firstStream.results) seen.push(result.data!.stockLevelChanged);
    await first.dispose();

    // While disconnected, stock keeps moving.
    await addStock(2);
    await addStock(3);
    const last = seen[seen.length - 1]!.position;
    const second = wsClient(router.wsUrl, { connectionParams: { authorization: `Bearer ${await provider.token({ subject: 'alice' })}` } });
    const secondStream = collect(second, SUBSCRIPTION, { after: last });
    await secondStream.waitFor(2);
    await addStock(4);
    await secondStream.waitFor(3);
    for (const result of secondStream.results) seen.push(result.data!.stockLevelChanged);
    expect(seen.map((level) => level.total)).toEqual([1, 3, 6, 10]);
    expect(new Set(seen.map((level) => level.position)).size).toBe(4);
    await second.dispose();
  });
});

describe('client token verification', () => {
  it('verifies a token once and serves it from the cache afterwards', async () => {
    const verifier = new ClientTokenVerifier({ keys: { kind: 'jwks-url', url: provider.jwksUrl }, issuer: PROVIDER_ISSUER, audience: PROVIDER_AUDIENCE });
    const token = await provider.token({ subject: 'frank', scopes: ['a', 'b'] });
    for (let index = 0; index < 100; index += 1) {
      const identity = await verifier.verify(token);
      expect(identity.subject).toBe('frank');
      expect([...identity.scopes]).toEqual(['a', 'b']);
    }
    expect(verifier.stats()).toEqual({ verified: 1, fromCache: 99, refused: 0 });
  });
});
