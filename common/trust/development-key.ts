import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { formatRouterKey, generateRouterKey, parseRouterKey, type RouterKey } from './router-key.js';

/** `iss` of development tokens (`npm run token`, GraphiQL, the dashboard, the seed). */
export const DEVELOPMENT_ISSUER = 'tributary-development';
/** `aud` of client tokens the router accepts by default. */
export const ROUTER_AUDIENCE = 'tributary';
const FILE_NAME = 'development-key.json';

/** Where the development key of a data folder lives. */
export function developmentKeyPath(dataDir: string): string {
  return path.join(dataDir, FILE_NAME);
}

/**
 * The development key of a data folder, created on first use (readable by its owner only). Every
 * process started on the same folder (`npm start -- --only …`, `npm run token`) finds the same key.
 */
export async function loadOrCreateDevelopmentKey(dataDir: string): Promise<RouterKey> {
  const file = developmentKeyPath(dataDir);
  const existing = await readKey(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  const key = generateRouterKey();
  const body = `${JSON.stringify({ kty: 'oct', k: formatRouterKey(key), use: 'development only' }, null, 2)}\n`;
  try {
    // `wx`: of two processes starting at once, one creates the key and the other reads it.
    await writeFile(file, body, { flag: 'wx', mode: 0o600 });
    await chmod(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const created = await readKey(file);
    if (!created) throw new Error(`${file} exists but holds no key`, { cause: error });
    return created;
  }
}

async function readKey(file: string): Promise<RouterKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A half-written file (a writer that has not finished yet) reads as no key; the caller retries by creating.
  if (text.trim() === '') return undefined;
  return parseRouterKey(text);
}

export interface DevelopmentTokenRequest {
  readonly subject: string;
  readonly scopes: readonly string[];
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
}

/** A client token signed with the development key, as an identity provider would issue one. */
export async function issueDevelopmentToken(key: RouterKey, request: DevelopmentTokenRequest): Promise<string> {
  return new SignJWT({ scope: request.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(DEVELOPMENT_ISSUER)
    .setAudience(ROUTER_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + request.ttlSeconds)
    .sign(key.secret);
}
