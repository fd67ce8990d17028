import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RouterTokenVerifier } from '../../common/trust/router-token.js';
import { generateRouterKey } from '../../common/trust/router-key.js';
import type { Identity, RouterContext } from '../../router/context/router-context.js';
import { useSubgraphSigning } from '../../router/subgraph-signing/use-subgraph-signing.js';

const key = generateRouterKey();
const logger = pino({ level: 'silent' });

const identity = (subject: string, scopes: string[]): Identity => ({ subject, scopes: new Set(scopes), issuer: undefined, expiresAt: undefined, claims: {} });
const contextOf = (correlationId: string, caller?: Identity): RouterContext => ({ correlationId, logger, identity: caller, clientAddress: undefined });

/** The headers the plugin sets on one subgraph call. */
async function headersOf(context: RouterContext | undefined): Promise<Record<string, string>> {
  const plugin = useSubgraphSigning(key);
  return headersWith(plugin, context);
}

async function headersWith(plugin: ReturnType<typeof useSubgraphSigning>, context: RouterContext | undefined): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  await plugin.onSubgraphRequest!({
    context,
    operation: undefined,
    subgraph: 'inventory',
    kind: 'fetch',
    setHeader: (name, value) => void (headers[name] = value),
  });
  return headers;
}

describe('subgraph signing', () => {
  it('signs one token per caller, reused by every request of that caller, and passes each request its correlation id', async () => {
    const plugin = useSubgraphSigning(key);
    const ana = identity('ana', ['inventory:write', 'audit:read']);
    const first = await headersWith(plugin, contextOf('c-1', ana));
    const second = await headersWith(plugin, contextOf('c-2', identity('ana', ['audit:read', 'inventory:write'])));
    expect(second.authorization).toBe(first.authorization);
    expect([first['x-correlation-id'], second['x-correlation-id']]).toEqual(['c-1', 'c-2']);
    const narrower = await headersWith(plugin, contextOf('c-3', identity('ana', ['audit:read'])));
    const anonymous = await headersWith(plugin, contextOf('c-4'));
    expect(new Set([first.authorization, narrower.authorization, anonymous.authorization]).size).toBe(3);

    const verifier = new RouterTokenVerifier(key);
    const bearer = (headers: Record<string, string>) => headers.authorization!.replace(/^Bearer /, '');
    await expect(verifier.verify(bearer(first))).resolves.toEqual({ subject: 'ana', scopes: ['audit:read', 'inventory:write'] });
    await expect(verifier.verify(bearer(narrower))).resolves.toEqual({ subject: 'ana', scopes: ['audit:read'] });
    await expect(verifier.verify(bearer(anonymous))).resolves.toEqual({ subject: 'anonymous', scopes: [] });
  });

  it('shares one signature between the concurrent first calls of a caller', async () => {
    const plugin = useSubgraphSigning(key);
    const calls = await Promise.all(
      Array.from({ length: 20 }, (_, index) => headersWith(plugin, contextOf(`c-${index}`, identity('ben', ['tracking:write'])))),
    );
    expect(new Set(calls.map((headers) => headers.authorization)).size).toBe(1);
  });

  it('signs the router’s own calls as the router, without a correlation id', async () => {
    const headers = await headersOf(undefined);
    await expect(new RouterTokenVerifier(key).verify(headers.authorization!.replace(/^Bearer /, ''))).resolves.toEqual({
      subject: 'system:router',
      scopes: [],
    });
    expect(headers['x-correlation-id']).toBeUndefined();
  });
});
