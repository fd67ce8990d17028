import { issueDevelopmentToken } from './development-key.js';
import { PRODUCT_SCOPES } from './product-scopes.js';
import type { RouterKey } from './router-key.js';

const LIFETIME_SECONDS = 12 * 60 * 60;

/**
 * A development token for the playground and the dashboard (subject `developer`, every product
 * scope), renewed when less than an hour of it is left.
 */
export function developmentTokenSource(key: RouterKey): () => Promise<string> {
  let current: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (!current || current.expiresAt - Date.now() < 3_600_000) {
      current = {
        token: await issueDevelopmentToken(key, { subject: 'developer', scopes: PRODUCT_SCOPES, ttlSeconds: LIFETIME_SECONDS }),
        expiresAt: Date.now() + LIFETIME_SECONDS * 1000,
      };
    }
    return current.token;
  };
}
