import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { SYSTEM_SUBJECT_PREFIX, ANONYMOUS_SUBJECT } from '../../common/trust/router-token.js';
import type { RouterKey } from '../../common/trust/router-key.js';
import type { Identity } from '../context/router-context.js';
import { RouterError } from '../plugins/router-error.js';

/** Where the keys that sign client tokens come from. */
export type ClientTokenKeys =
  /** An identity provider's JWKS endpoint: cached, refetched when a token names an unknown key, at most once per cooldown. */
  | { readonly kind: 'jwks-url'; readonly url: string; readonly cooldownMs?: number; readonly cacheMaxAgeMs?: number; readonly timeoutMs?: number }
  /** A JWKS document read from a file. */
  | { readonly kind: 'jwks'; readonly jwks: JSONWebKeySet }
  /** The development key (HS256): tokens from `npm run token`, GraphiQL and the dashboard. */
  | { readonly kind: 'development'; readonly key: RouterKey };

export interface ClientTokenOptions {
  readonly keys: ClientTokenKeys;
  /** Accepted `iss` values; any when omitted. */
  readonly issuer?: string | readonly string[];
  /** Accepted `aud` values; any when omitted. */
  readonly audience?: string | readonly string[];
  /** Accepted signature algorithms (`none` never is). */
  readonly algorithms?: readonly string[];
  readonly clockToleranceSeconds?: number;
  /** The claim holding the granted scopes: a space-separated string or an array (`scope`, `scp`). */
  readonly scopeClaim?: string;
}

const DEFAULT_ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function scopesOf(payload: JWTPayload, claim: string): ReadonlySet<string> {
  const value = payload[claim] ?? (claim === 'scope' ? payload['scp'] : undefined);
  if (typeof value === 'string') return new Set(value.split(' ').filter(Boolean));
  if (Array.isArray(value)) return new Set(value.filter((item): item is string => typeof item === 'string'));
  return new Set();
}

function unauthenticated(message: string): RouterError {
  return new RouterError('UNAUTHENTICATED', message, { httpStatus: 401, headers: { 'www-authenticate': 'Bearer' } });
}

/** Why jose refused a token, in a client's terms. */
function refusal(error: unknown): RouterError {
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('the token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return unauthenticated(`the token's "${error.claim}" claim is not accepted`);
  if (error instanceof joseErrors.JWKSNoMatchingKey) return unauthenticated('the token is signed with an unknown key');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return unauthenticated('the token is signed with an algorithm that is not accepted');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return unauthenticated('the token signature is invalid');
  if (error instanceof joseErrors.JWKSTimeout) return unauthenticated('the signing keys could not be fetched in time');
  if (error instanceof joseErrors.JOSEError) return unauthenticated(`the token is not valid: ${error.message}`);
  return unauthenticated('the token is not valid');
}

/**
 * Verifies client JWTs (jose): signature against the configured keys, allowed algorithms, issuer,
 * audience, expiry with clock tolerance. A token is verified once: its identity is cached until
 * it expires, and a refused token is refused from the cache for a few seconds, so a client
 * sending the same token on every request (or a flood of one bad token) costs a map lookup.
 */
export class ClientTokenVerifier {
  private readonly getKey: JWTVerifyGetKey | Uint8Array;
  private readonly algorithms: string[];
  private readonly accepted = new LRUCache<string, Identity>({ max: 50_000 });
  private readonly refused = new LRUCache<string, RouterError>({ max: 10_000, ttl: 5_000 });
  private readonly counts = { verified: 0, fromCache: 0, refused: 0 };

  constructor(private readonly options: ClientTokenOptions) {
    const { keys } = options;
    if (keys.kind === 'jwks-url') {
      this.getKey = createRemoteJWKSet(new URL(keys.url), {
        cooldownDuration: keys.cooldownMs ?? 30_000,
        cacheMaxAge: keys.cacheMaxAgeMs ?? 600_000,
        timeoutDuration: keys.timeoutMs ?? 5_000,
      });
    } else if (keys.kind === 'jwks') {
      this.getKey = createLocalJWKSet(keys.jwks);
    } else {
      this.getKey = keys.key.secret;
    }
    this.algorithms = [...(options.algorithms ?? (keys.kind === 'development' ? ['HS256'] : DEFAULT_ASYMMETRIC_ALGORITHMS))].filter((alg) => alg !== 'none');
  }

  /** Signature checks run, identities served from the cache, tokens refused (metrics, tests). */
  stats(): Readonly<{ verified: number; fromCache: number; refused: number }> {
    return { ...this.counts };
  }

  /** The identity a bearer token proves, or a RouterError UNAUTHENTICATED (HTTP 401). */
  async verify(token: string): Promise<Identity> {
    const known = this.accepted.get(token);
    if (known && (known.expiresAt === undefined || known.expiresAt > Date.now())) {
      this.counts.fromCache += 1;
      return known;
    }
    const bad = this.refused.get(token);
    if (bad) {
      this.counts.refused += 1;
      throw bad;
    }
    try {
      this.counts.verified += 1;
      const identity = await this.verifyOnce(token);
      this.accepted.set(token, identity);
      return identity;
    } catch (error) {
      const coded = error instanceof RouterError ? error : refusal(error);
      this.counts.refused += 1;
      this.refused.set(token, coded);
      throw coded;
    }
  }

  private async verifyOnce(token: string): Promise<Identity> {
    const { issuer, audience, clockToleranceSeconds } = this.options;
    const verifyOptions = {
      algorithms: this.algorithms,
      ...(issuer ? { issuer: typeof issuer === 'string' ? issuer : [...issuer] } : {}),
      ...(audience ? { audience: typeof audience === 'string' ? audience : [...audience] } : {}),
      clockTolerance: clockToleranceSeconds ?? 30,
      requiredClaims: ['sub'],
    };
    const { payload } =
      this.getKey instanceof Uint8Array ? await jwtVerify(token, this.getKey, verifyOptions) : await jwtVerify(token, this.getKey, verifyOptions);
    const subject = String(payload.sub);
    // The service's own actors and the anonymous caller are names no token may claim.
    if (subject.startsWith(SYSTEM_SUBJECT_PREFIX) || subject === ANONYMOUS_SUBJECT) throw unauthenticated(`the subject "${subject}" is reserved`);
    return {
      subject,
      scopes: scopesOf(payload, this.options.scopeClaim ?? 'scope'),
      issuer: payload.iss,
      expiresAt: payload.exp !== undefined ? payload.exp * 1000 : undefined,
      claims: payload,
    };
  }
}

/** The token of an `Authorization: Bearer …` value; a RouterError for any other scheme. */
export function bearerTokenOf(header: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('the Authorization header must be "Bearer <token>"');
  return match[1];
}
