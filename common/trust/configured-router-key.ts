import { readFile } from 'node:fs/promises';
import { loadOrCreateDevelopmentKey } from './development-key.js';
import { parseRouterKey, type RouterKey } from './router-key.js';

/** Where a process finds the router key: given explicitly, or the development key of its data folder. */
export interface RouterKeySource {
  /** The key itself (base64url secret or an `oct` JWK), e.g. from TRIBUTARY_ROUTER_KEY. */
  readonly key?: string | undefined;
  /** A file holding it, e.g. from TRIBUTARY_ROUTER_KEY_FILE. */
  readonly keyFile?: string | undefined;
  /** The data folder whose development key is used when no key is given; none: a key is required. */
  readonly developmentDataDir?: string | undefined;
}

/** The router key a router signs with, and a subgraph verifies with. */
export async function configuredRouterKey(source: RouterKeySource): Promise<{ key: RouterKey; development: boolean }> {
  if (source.key) return { key: parseRouterKey(source.key), development: false };
  if (source.keyFile) return { key: parseRouterKey(await readFile(source.keyFile, 'utf8')), development: false };
  if (source.developmentDataDir) return { key: await loadOrCreateDevelopmentKey(source.developmentDataDir), development: true };
  throw new Error('no router key configured: set TRIBUTARY_ROUTER_KEY (or TRIBUTARY_ROUTER_KEY_FILE) to the secret shared by the router and its subgraphs');
}

/** The router key source of a process's environment. */
export function routerKeySourceFromEnv(env: NodeJS.ProcessEnv, developmentDataDir: string | undefined): RouterKeySource {
  return { key: env.TRIBUTARY_ROUTER_KEY, keyFile: env.TRIBUTARY_ROUTER_KEY_FILE, developmentDataDir };
}
