import { LRUCache } from 'lru-cache';
import { CORRELATION_HEADER } from '../../common/trust/headers.js';
import type { RouterKey } from '../../common/trust/router-key.js';
import { ANONYMOUS_SUBJECT, ROUTER_SUBJECT, ROUTER_TOKEN_TTL_SECONDS, signRouterToken, type RouterAssertion } from '../../common/trust/router-token.js';
import type { RouterContext } from '../context/router-context.js';
import type { RouterPlugin } from '../plugins/contract.js';

/** A signed token is replaced once less than this much of its life is left. */
const RENEW_BEFORE_MS = (ROUTER_TOKEN_TTL_SECONDS / 2) * 1000;
/** Callers whose tokens are kept; one more signs again. */
const MAX_CALLERS = 10_000;

interface SignedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/**
 * Signs every subgraph call (fetches, upstream subscriptions and the upstream sockets themselves)
 * with a short-lived router token asserting the caller's subject and scopes, and passes the
 * request's correlation id on. One token serves all calls of a caller (the same subject and
 * scopes) until half its life is gone, so a request costs no signature, and the subgraphs, which
 * keep the tokens they checked, no verification either.
 */
export function useSubgraphSigning(key: RouterKey): RouterPlugin {
  const tokens = new LRUCache<string, Promise<SignedToken>>({ max: MAX_CALLERS });

  const sign = async (assertion: RouterAssertion): Promise<SignedToken> => ({
    header: `Bearer ${await signRouterToken(key, assertion)}`,
    expiresAt: Date.now() + ROUTER_TOKEN_TTL_SECONDS * 1000,
  });
  const fresh = (token: SignedToken) => token.expiresAt - Date.now() > RENEW_BEFORE_MS;
  /** The caller's token; concurrent first calls share one signature. */
  const tokenOf = async (assertion: RouterAssertion): Promise<SignedToken> => {
    const cacheKey = `${assertion.subject}\n${assertion.scopes.join(' ')}`;
    const cached = tokens.get(cacheKey);
    if (cached) {
      const token = await cached;
      if (fresh(token)) return token;
      if (tokens.get(cacheKey) !== cached) return tokens.get(cacheKey)!;
    }
    const signing = sign(assertion);
    tokens.set(cacheKey, signing);
    signing.catch(() => tokens.delete(cacheKey));
    return signing;
  };
  // The token each context last used: the further calls of a request (or connection) skip the
  // lookup above while it stays fresh. Contexts are never changed, so their identity is fixed.
  const byContext = new WeakMap<RouterContext, SignedToken>();

  return {
    name: 'subgraph-signing',
    async onSubgraphRequest(event) {
      const { context } = event;
      if (!context) {
        event.setHeader('authorization', (await tokenOf({ subject: ROUTER_SUBJECT, scopes: [] })).header);
        return;
      }
      let token = byContext.get(context);
      if (!token || !fresh(token)) {
        const identity = context.identity;
        token = await tokenOf({ subject: identity?.subject ?? ANONYMOUS_SUBJECT, scopes: identity ? [...identity.scopes].sort() : [] });
        byContext.set(context, token);
      }
      event.setHeader('authorization', token.header);
      event.setHeader(CORRELATION_HEADER, context.correlationId);
    },
  };
}
