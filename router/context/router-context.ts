import type { Logger } from 'pino';

/** A caller whose token the router verified. */
export interface Identity {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly issuer: string | undefined;
  /** When the token stops being valid, in milliseconds since the epoch. */
  readonly expiresAt: number | undefined;
  /** Every claim of the token, for policies. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * What the router knows about one HTTP request or one WebSocket connection, built by the plugins'
 * `onRequest` hooks and read-only afterwards. Plugins keep state of their own per request in a
 * WeakMap keyed by this object.
 */
export interface RouterContext {
  /** Follows the request through the router, the subgraphs and into event metadata. */
  readonly correlationId: string;
  /** A child logger carrying the correlation id. */
  readonly logger: Logger;
  /** The verified caller; undefined when no token was presented. */
  readonly identity: Identity | undefined;
  /** The client's address as the socket reports it. */
  readonly clientAddress: string | undefined;
}

/** The parts of the context `onRequest` hooks may set. */
export type ContextPatch = Partial<Pick<RouterContext, 'identity' | 'correlationId'>>;
