/**
 * Files served from memory (the playground's bundles, the built dashboard): content type, a strong
 * ETag from the content, gzip on request, and cache headers that depend on whether the URL names
 * a content version.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** One file held in memory. */
export interface StaticAsset {
  /** File name (or path) in the URL; the only names ever served. */
  readonly name: string;
  /** `Content-Type` header value. */
  readonly contentType: string;
  /** File content. */
  readonly body: Buffer;
  /** Strong ETag (quoted), derived from the content. */
  readonly etag: string;
  /** Short content hash, for `?v=` in URLs that are then cached as immutable. */
  readonly version: string;
  /** The gzip-compressed body, computed on first use. */
  gzipped(): Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};

/** Wraps a file's content for serving. */
export function createStaticAsset(name: string, body: Buffer): StaticAsset {
  const hash = createHash('sha256').update(body).digest('base64url');
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  let gzipped: Buffer | undefined;
  return {
    name,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    body,
    etag: `"${hash.slice(0, 27)}"`,
    version: hash.slice(0, 12),
    gzipped: () => (gzipped ??= gzipSync(body)),
  };
}

/** Splits a raw request target into path and query without normalising `..` segments. */
export function splitTarget(url: string | undefined): { path: string; search: URLSearchParams } {
  const target = url ?? '/';
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, search: new URLSearchParams() } : { path: target.slice(0, mark), search: new URLSearchParams(target.slice(mark + 1)) };
}

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  return /\bgzip\b/i.test(Array.isArray(header) ? header.join(',') : (header ?? ''));
}

function etagMatches(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A short plain-text response. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/**
 * Sends an asset (or 304 when the client's ETag matches). `immutable`: the URL names this exact
 * content (a hash in its name or a `?v=`), so it may be cached for a year; otherwise for an hour,
 * revalidated after.
 */
export function sendStaticAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, immutable: boolean): void {
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    etag: asset.etag,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, must-revalidate',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    vary: 'Accept-Encoding',
  };
  if (etagMatches(req, asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = acceptsGzip(req);
  const body = gzip ? asset.gzipped() : asset.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** JSON safe to embed in an inline `<script>` (no `</script>`, `<!--` or stray line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** HTML text with `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The CSP of a page served with a per-response nonce: scripts (and, with `nonceStyles`, style
 * elements) only from this origin or with the nonce; connections, including WebSockets, only to
 * this origin; fonts from the origin and, with `dataFonts`, inline `data:` ones.
 */
export function nonceContentSecurityPolicy(nonce: string, options: { nonceStyles: boolean; dataFonts: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    options.nonceStyles ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self'",
    options.dataFonts ? "font-src 'self' data:" : "font-src 'self'",
    "img-src 'self' data:",
    // 'self' covers ws:/wss: on the same host (CSP3), where subscriptions go.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Whether a nonce is base64 (so it cannot break out of the attribute or header it goes in). */
export const isBase64Nonce = (nonce: string): boolean => /^[A-Za-z0-9+/_-]+=*$/.test(nonce);
