/**
 * The dashboard route over plain HTTP: built on first start when missing, the page with its
 * configuration written in (escaped) under a nonce CSP, hashed assets cached for good, and every
 * other path left to the router.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler, type DashboardHandler } from '../../router/dashboard/index.js';

const BUILD_TIMEOUT_MS = 180_000;

let scratch: string;
let distDir: string;
let server: Server;
let origin: string;
/** The handler a request goes to, by the `x-handler` header the test sends. */
const handlers = new Map<string, DashboardHandler>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tributary-dashboard-'));
  distDir = join(scratch, 'dist');
  handlers.set('token', createDashboardHandler({ distDir, developmentToken: async () => 'a</script><script>alert(1)</script>\u2028' }));
  server = createServer((req, res) => {
    const handler = handlers.get(String(req.headers['x-handler'] ?? 'token'))!;
    handler
      .handle(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(418, { 'content-type': 'text/plain' }).end('not the dashboard');
      })
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await rm(scratch, { recursive: true, force: true });
});

/** The configuration the page was given. */
function configOf(html: string): unknown {
  const match = /window\.__TRIBUTARY__ = (.*?);<\/script>/.exec(html);
  if (!match) throw new Error('no configuration script in the page');
  return JSON.parse(match[1]!);
}

/** A raw GET whose path is sent exactly as written (fetch would normalise `..`). */
function rawGet(path: string): Promise<number> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard route', () => {
  it(
    'builds the dashboard on first start when it is missing, then serves the page with its token, escaped',
    async () => {
      const response = await fetch(`${origin}/`, { signal: AbortSignal.timeout(BUILD_TIMEOUT_MS) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe');
      const html = await response.text();
      expect(html).toContain(`<script nonce="${nonce}">window.__TRIBUTARY__`);
      expect(configOf(html)).toEqual({ endpoint: '/graphql', token: 'a</script><script>alert(1)</script>\u2028' });
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      // The configuration comes before the app's script, so it is there when the app starts.
      expect(html.indexOf('__TRIBUTARY__')).toBeLessThan(html.indexOf('type="module"'));
    },
    BUILD_TIMEOUT_MS,
  );

  it('serves the built assets with their content type, cached for good, and honours If-None-Match', async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const paths = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(paths.some((path) => path.endsWith('.js'))).toBe(true);
    expect(paths.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of paths) {
      const response = await fetch(`${origin}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
      const etag = response.headers.get('etag') ?? '';
      expect((await fetch(`${origin}${path}`, { headers: { 'if-none-match': etag } })).status, path).toBe(304);
    }
  });

  it('gives the page no token when the source has none', async () => {
    handlers.set('none', createDashboardHandler({ distDir, developmentToken: async () => undefined }));
    const html = await (await fetch(`${origin}/`, { headers: { 'x-handler': 'none' } })).text();
    expect(configOf(html)).toEqual({ endpoint: '/graphql' });
  });

  it('leaves every other path and method to the router, and serves no file outside the build', async () => {
    for (const path of ['/graphql', '/health', '/metrics', '/playground/assets/graphiql.min.js', '/favicon.ico']) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(418);
    }
    expect((await fetch(`${origin}/`, { method: 'POST', body: '{}' })).status).toBe(418);
    for (const path of [
      '/assets/../../package.json',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e/index.html',
      '/assets/',
      '/assets/missing-12345678.js',
    ]) {
      expect(await rawGet(path), path).toBe(404);
    }
  });
});
