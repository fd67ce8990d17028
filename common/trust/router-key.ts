import { createHash, randomBytes } from 'node:crypto';
import { base64url } from 'jose';

/**
 * The secret the router signs its subgraph calls with, and the subgraphs verify them with
 * (HMAC-SHA-256). A symmetric key keeps signing and checking a call to a few microseconds; it stays
 * inside the deployment, like a database password.
 */
export interface RouterKey {
  /** Key id, derived from the secret: lets a subgraph tell a rotated key from a forged token. */
  readonly kid: string;
  readonly secret: Uint8Array;
}

const MIN_SECRET_BYTES = 32;

/** A key from its secret bytes. */
export function routerKeyOf(secret: Uint8Array): RouterKey {
  if (secret.byteLength < MIN_SECRET_BYTES) throw new Error(`a router key needs at least ${MIN_SECRET_BYTES} bytes of secret, got ${secret.byteLength}`);
  const kid = createHash('sha256').update(secret).digest('base64url').slice(0, 16);
  return { kid, secret };
}

/** A new random key. */
export function generateRouterKey(): RouterKey {
  return routerKeyOf(new Uint8Array(randomBytes(MIN_SECRET_BYTES)));
}

/**
 * Reads a key as configured: the secret in base64url (e.g. `openssl rand -base64 32 | tr '+/' '-_'`)
 * or a JSON Web Key `{"kty":"oct","k":"…"}`.
 */
export function parseRouterKey(text: string): RouterKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as { kty?: unknown; k?: unknown };
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') throw new Error('a router key given as a JWK must be {"kty":"oct","k":"<base64url secret>"}');
    return routerKeyOf(base64url.decode(jwk.k));
  }
  // Standard base64 is accepted too: it only differs in two characters and the padding.
  return routerKeyOf(base64url.decode(trimmed.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')));
}

/** The key as its base64url secret, the form {@link parseRouterKey} reads. */
export function formatRouterKey(key: RouterKey): string {
  return base64url.encode(key.secret);
}
