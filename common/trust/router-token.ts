import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RouterKey } from './router-key.js';

/** `iss` of every token the router signs for its subgraph calls. */
export const ROUTER_TOKEN_ISSUER = 'tributary-router';
/** `aud` of those tokens: a client token (another audience) is never accepted by a subgraph. */
export const SUBGRAPH_AUDIENCE = 'tributary-subgraphs';
/** How long a router token is valid: long enough for one call, short enough to be useless if leaked. */
export const ROUTER_TOKEN_TTL_SECONDS = 60;
/** Subjects reserved for the service's own work (expirers, jobs): no request can act as one. */
export const SYSTEM_SUBJECT_PREFIX = 'system:';
/** The subject of a call no user made (the router's own probes and upstream connections). */
export const ROUTER_SUBJECT = 'system:router';
/** The subject of a call on behalf of a caller who presented no token. */
export const ANONYMOUS_SUBJECT = 'anonymous';

/**
 * What the router asserts about the caller of a call. Nothing in it is particular to one request,
 * so one token serves every call of a caller for half its life: signing and checking (each tens of
 * microseconds through WebCrypto) happen once per caller and minute, not once per call. The
 * correlation id travels as a header of the (signed) call instead.
 */
export interface RouterAssertion {
  /** The verified caller, {@link ANONYMOUS_SUBJECT}, or {@link ROUTER_SUBJECT}. */
  readonly subject: string;
  /** Scopes granted to the caller. */
  readonly scopes: readonly string[];
}

/** Signs a short-lived token asserting a caller. */
export async function signRouterToken(key: RouterKey, assertion: RouterAssertion, ttlSeconds = ROUTER_TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({ scope: assertion.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ROUTER_TOKEN_ISSUER)
    .setAudience(SUBGRAPH_AUDIENCE)
    .setSubject(assertion.subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key.secret);
}

/** Why a router token was refused. */
export class RouterTokenRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouterTokenRefused';
  }
}

export interface VerifyOptions {
  /**
   * Accept an expired token. Only for the identity of a subscription, which travels on an upstream
   * connection that was itself verified (with expiry) and is re-sent verbatim when that connection
   * is re-established.
   */
  readonly ignoreExpiry?: boolean;
}

interface CachedAssertion {
  readonly assertion: RouterAssertion;
  readonly expiresAtMs: number;
}

/**
 * Checks router tokens on the subgraph side: HS256 only, the router's issuer and the subgraphs'
 * audience. A call's token is checked once per process even when the call reaches several
 * subgraphs or entity levels (results are cached until the token expires).
 */
export class RouterTokenVerifier {
  private readonly cache = new LRUCache<string, CachedAssertion>({ max: 10_000 });

  constructor(private readonly key: RouterKey) {}

  async verify(token: string, options: VerifyOptions = {}): Promise<RouterAssertion> {
    const cached = this.cache.get(token);
    if (cached && (options.ignoreExpiry || cached.expiresAtMs > Date.now())) return cached.assertion;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.key.secret, {
        algorithms: ['HS256'],
        issuer: ROUTER_TOKEN_ISSUER,
        audience: SUBGRAPH_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        // An expired subscription identity is still checked for its signature, issuer and audience.
        ...(options.ignoreExpiry ? { currentDate: new Date(0) } : {}),
      });
      if (protectedHeader.kid !== undefined && protectedHeader.kid !== this.key.kid) throw new RouterTokenRefused('signed with another router key');
      const assertion: RouterAssertion = {
        subject: String(payload.sub),
        scopes: typeof payload.scope === 'string' && payload.scope.length > 0 ? payload.scope.split(' ') : [],
      };
      this.cache.set(token, { assertion, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return assertion;
    } catch (error) {
      if (error instanceof RouterTokenRefused) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new RouterTokenRefused('router token expired');
      if (error instanceof joseErrors.JOSEError) throw new RouterTokenRefused(`router token refused: ${error.message}`);
      throw error;
    }
  }
}
