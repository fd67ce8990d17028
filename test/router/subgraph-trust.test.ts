import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueDevelopmentToken } from '../../common/trust/development-key.js';
import { generateRouterKey } from '../../common/trust/router-key.js';
import { signRouterToken } from '../../common/trust/router-token.js';
import { collect, eventually, wsClient } from '../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import { RouterSignedWebSocket, postAsRouter, postRaw, routerKey, signedByRouter } from '../support/security.js';

let stack: FullStack;

beforeAll(async () => {
  stack = await startFullStack();
});
afterAll(async () => {
  await stack.close();
});

/** What each subgraph is asked directly: a query, a mutation, the federation entry points. */
const DIRECT_CALLS: Record<string, string> = {
  query: '{ __typename }',
  mutation: 'mutation { __typename }',
  _service: '{ _service { sdl } }',
  _entities: '{ _entities(representations: [{ __typename: "Product", id: "p1" }]) { __typename } }',
};

/** Opens a WebSocket upgrade and reports the HTTP status it was refused with, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('subgraphs trust only the router', () => {
  it('refuses every unsigned call to every subgraph with 401 UNAUTHENTICATED', async () => {
    for (const subgraph of stack.subgraphs) {
      for (const [kind, query] of Object.entries(DIRECT_CALLS)) {
        const response = await postRaw(subgraph.url, query);
        expect({ subgraph: subgraph.name, kind, status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({
          subgraph: subgraph.name,
          kind,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
      expect(await upgradeStatus(subgraph.url.replace(/^http/, 'ws'))).toBe(401);
    }
  });

  it('refuses calls signed with another key, expired router tokens and client tokens', async () => {
    const inventory = stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    const otherKey = generateRouterKey();
    const assertion = { subject: 'mallory', scopes: ['inventory:write'] };
    const expired = await new SignJWT({ scope: '', cid: 'old' })
      .setProtectedHeader({ alg: 'HS256', kid: routerKey.kid })
      .setIssuer('tributary-router')
      .setAudience('tributary-subgraphs')
      .setSubject('mallory')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(routerKey.secret);
    // A client token of the same secret: another issuer and audience, so no subgraph takes it.
    const clientLike = await issueDevelopmentToken(routerKey, { subject: 'mallory', scopes: ['inventory:write'], ttlSeconds: 60 });
    for (const token of [await signRouterToken(otherKey, assertion), expired, clientLike, 'not.a.jwt']) {
      const response = await postRaw(inventory.url, DIRECT_CALLS.query!, {}, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await upgradeStatus(inventory.url.replace(/^http/, 'ws'), { authorization: `Bearer ${token}` })).toBe(401);
    }
    // Signed by the router, the same calls are answered.
    for (const query of Object.values(DIRECT_CALLS)) expect((await postAsRouter(inventory.url, query)).status).toBe(200);
    expect(await upgradeStatus(inventory.url.replace(/^http/, 'ws'), await signedByRouter())).toBe(101);
  });

  it('records the verified subject as the actor and ignores an x-actor header', async () => {
    const inventory = stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    const register = 'mutation($id: ID!) { registerStore(input: { id: $id, name: "Cádiz" }) { events { metadata { actor correlationId } } } }';
    const headers = { ...(await signedByRouter({ actor: 'user:real', correlationId: 'trust-1' })), 'x-actor': 'admin@victim.example' };
    const response = await postRaw(inventory.url, register, { id: 'trust-store-1' }, headers);
    expect(response.errors).toBeUndefined();
    expect(response.data?.registerStore.events[0].metadata).toEqual({ actor: 'user:real', correlationId: 'trust-1' });
    const stored = await stack.platform.store.readStream('store-trust-store-1');
    expect(stored[0]?.metadata.actor).toBe('user:real');
    // The service's own actors cannot be claimed, even in a router token: nothing is recorded for them.
    const system = await postAsRouter(inventory.url, register, { id: 'trust-store-2' }, { actor: 'system:reservation-expirer' });
    expect(system.data?.registerStore.events[0].metadata.actor).toBeNull();
  });

  it('answers a subscription on a signed upstream socket, and refuses only the subscription whose identity is bad', async () => {
    const inventory = stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    const client = wsClient(inventory.url.replace(/^http/, 'ws'), { webSocketImpl: RouterSignedWebSocket });
    const badIdentity = await signRouterToken(generateRouterKey(), { subject: 'x', scopes: [] });
    const bad = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: 'subscription { inventoryEvents { position } }', extensions: { headers: { authorization: `Bearer ${badIdentity}` } } },
        { next: resolve, error: resolve, complete: () => undefined },
      ),
    );
    expect(JSON.stringify(bad)).toMatch(/UNAUTHENTICATED/);
    // The connection is still good for a subscription with a proper identity.
    const opened = stack.liveOpened();
    const good = collect(client, 'subscription { inventoryEvents { type } }');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the subgraph to listen');
    await postAsRouter(inventory.url, 'mutation { registerStore(input: { id: "trust-store-3", name: "Lugo" }) { store { id } } }');
    await eventually(() => good.results.length > 0, 10_000, 'an event');
    expect(good.results[0]?.data?.inventoryEvents.type).toBe('StoreRegistered');
    await client.dispose();
  });
});
