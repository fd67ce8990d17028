import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** The issuer and audience the test identity provider's tokens carry by default. */
export const PROVIDER_ISSUER = 'https://id.example.test/';
export const PROVIDER_AUDIENCE = 'tributary-api';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export interface TokenRequest {
  readonly subject?: string;
  readonly scopes?: readonly string[];
  readonly issuer?: string;
  readonly audience?: string;
  /** Expiry, in seconds from now (negative: already expired). */
  readonly expiresIn?: number;
  /** Sign with this key id (published or not). */
  readonly kid?: string;
  readonly claims?: JWTPayload;
}

/**
 * A stand-in identity provider over real HTTP: an ES256 JWKS endpoint that counts its fetches, and
 * tokens signed with its keys, or with keys it has not published yet (key rotation, unknown kid).
 */
export interface IdentityProvider {
  readonly jwksUrl: string;
  /** JWKS fetches served so far. */
  fetches(): number;
  token(request?: TokenRequest): Promise<string>;
  /** Creates a key that tokens can be signed with but the JWKS does not list (yet). */
  addUnpublishedKey(kid: string): Promise<void>;
  /** Lists a key created with addUnpublishedKey in the JWKS. */
  publish(kid: string): void;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const keys = new Map<string, SigningKey>([['key-1', await signingKey('key-1')]]);
  const published = new Set(['key-1']);
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [...published].map((kid) => keys.get(kid)!.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    async token(request = {}) {
      const key = keys.get(request.kid ?? 'key-1');
      if (!key) throw new Error(`no key ${request.kid}`);
      return new SignJWT({ scope: (request.scopes ?? []).join(' '), ...request.claims })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid })
        .setIssuer(request.issuer ?? PROVIDER_ISSUER)
        .setAudience(request.audience ?? PROVIDER_AUDIENCE)
        .setSubject(request.subject ?? 'alice')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (request.expiresIn ?? 600))
        .sign(key.privateKey);
    },
    async addUnpublishedKey(kid) {
      keys.set(kid, await signingKey(kid));
    },
    publish(kid) {
      published.add(kid);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A token with the same claims and key id as `token`, signed by a key nobody published. */
export async function forged(token: string): Promise<string> {
  const [header, payload] = token.split('.');
  const { privateKey } = await generateKeyPair('ES256');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as JWTPayload;
  const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string };
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
}

/** An unsigned token (`alg: none`) with the claims of `token`. */
export function unsigned(token: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${payload}.`;
}
