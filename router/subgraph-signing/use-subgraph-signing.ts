import type { RouterKey } from '../../common/trust/router-key.js';
import { ANONYMOUS_SUBJECT, ROUTER_SUBJECT, ROUTER_TOKEN_TTL_SECONDS, signRouterToken, type RouterAssertion } from '../../common/trust/router-token.js';
import type { RouterContext } from '../context/router-context.js';
import type { RouterPlugin } from '../plugins/contract.js';

/** A signed token is replaced once less than this much of its life is left. */
const RENEW_BEFORE_MS = (ROUTER_TOKEN_TTL_SECONDS / 2) * 1000;

interface SignedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/**
 * Signs every subgraph call (fetches, upstream subscriptions and the upstream sockets themselves)
 * with a short-lived router token: the caller's subject and scopes and the correlation id. A
 * request's token is signed once and reused by all its fetches; a long-lived WebSocket context
 * gets a fresh one when its token nears expiry.
 */
export function useSubgraphSigning(key: RouterKey): RouterPlugin {
  const byContext = new WeakMap<RouterContext, SignedToken>();
  let routerToken: SignedToken | undefined;

  const sign = async (assertion: RouterAssertion): Promise<SignedToken> => ({
    header: `Bearer ${await signRouterToken(key, assertion)}`,
    expiresAt: Date.now() + ROUTER_TOKEN_TTL_SECONDS * 1000,
  });
  const fresh = (token: SignedToken | undefined): token is SignedToken => token !== undefined && token.expiresAt - Date.now() > RENEW_BEFORE_MS;

  return {
    name: 'subgraph-signing',
    async onSubgraphRequest(event) {
      const { context } = event;
      if (!context) {
        if (!fresh(routerToken)) routerToken = await sign({ subject: ROUTER_SUBJECT, scopes: [], correlationId: 'router' });
        event.setHeader('authorization', routerToken.header);
        return;
      }
      let token = byContext.get(context);
      if (!fresh(token)) {
        token = await sign({
          subject: context.identity?.subject ?? ANONYMOUS_SUBJECT,
          scopes: context.identity ? [...context.identity.scopes].sort() : [],
          correlationId: context.correlationId,
        });
        byContext.set(context, token);
      }
      event.setHeader('authorization', token.header);
    },
  };
}
