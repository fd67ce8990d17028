import { issueDevelopmentToken, loadOrCreateDevelopmentKey } from '../../common/trust/development-key.js';
import { PRODUCT_SCOPES } from '../../common/trust/product-scopes.js';

/** A seed run is done well within this. */
const SEED_TOKEN_TTL_SECONDS = 3_600;

/**
 * The bearer token the seed sends: `TRIBUTARY_TOKEN` when set (a production router, whose tokens
 * come from its identity provider), else one made with the development key of the data folder
 * (`TRIBUTARY_DATA_DIR`, `.data` by default), as the router started there accepts: subject `seed`,
 * every product scope.
 */
export async function seedToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = env.TRIBUTARY_TOKEN?.trim();
  if (given) return given;
  const key = await loadOrCreateDevelopmentKey(env.TRIBUTARY_DATA_DIR ?? '.data');
  return issueDevelopmentToken(key, { subject: 'seed', scopes: PRODUCT_SCOPES, ttlSeconds: SEED_TOKEN_TTL_SECONDS });
}
