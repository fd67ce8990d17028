import type { IncomingMessage } from 'node:http';
import { RouterTokenRefused, type RouterAssertion, type RouterTokenVerifier } from '../../../common/trust/router-token.js';

/** The router's token from an `authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value.trim()) : null;
  return match?.[1];
}

/** The outcome of checking that a call comes from the router. */
export type TrustCheck = { readonly ok: true; readonly assertion: RouterAssertion } | { readonly ok: false; readonly reason: string };

/** Checks the router's signature on an HTTP request or WebSocket upgrade. */
export async function checkRouterSignature(verifier: RouterTokenVerifier, request: IncomingMessage): Promise<TrustCheck> {
  const token = bearerToken(request.headers.authorization);
  if (!token) return { ok: false, reason: 'this subgraph only answers calls signed by the router' };
  try {
    return { ok: true, assertion: await verifier.verify(token) };
  } catch (error) {
    if (error instanceof RouterTokenRefused) return { ok: false, reason: error.message };
    throw error;
  }
}

/** The JSON body of a refused call. */
export function unauthenticatedBody(reason: string): string {
  return JSON.stringify({ errors: [{ message: reason, extensions: { code: 'UNAUTHENTICATED' } }] });
}
