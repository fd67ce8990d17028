import type { RouterPlugin } from '../plugins/contract.js';
import { bearerTokenOf, type ClientTokenVerifier } from './client-token-verifier.js';

/**
 * Identifies the caller from `Authorization: Bearer <JWT>` (over WebSocket: `authorization` in the
 * connection_init payload, else the upgrade request's header). No token: an anonymous caller,
 * whom authorization then treats as such. A token that does not verify refuses the whole request
 * (HTTP 401) or connection (close 4403).
 */
export function useAuthentication(verifier: ClientTokenVerifier): RouterPlugin {
  return {
    name: 'authentication',
    async onRequest(event) {
      const header = event.request.header('authorization');
      if (header === undefined || header === '') return;
      event.extendContext({ identity: await verifier.verify(bearerTokenOf(header)) });
    },
  };
}
