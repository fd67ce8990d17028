/**
 * The router playground: GraphiQL served from local npm bundles in front of a GraphQL endpoint.
 * A small server (Apollo over node:http for queries, graphql-ws for subscriptions) is started
 * here, with the playground handler in front of it, and driven by HTTP and by headless Chromium.
 */
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type * as GraphQL from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { launchChromium } from '../support/chromium.js';
import { createPlaygroundHandler, loadOperationTabs, type PlaygroundHandler, type PlaygroundOptions } from '../../router/playground/playground.js';

// Vitest would load graphql's ESM build here while Apollo and graphql-ws (run by Node) share its
// CommonJS build; a schema from one copy is rejected by the other, so take the CommonJS one.
const { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

const TICK_INTERVAL_MS = 300;

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: {
        type: new GraphQLNonNull(GraphQLString),
        args: { name: { type: GraphQLString } },
        resolve: (_root, args: { name?: string | null }) => `Hello, ${args.name ?? 'world'}!`,
      },
    },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      tick: {
        type: new GraphQLNonNull(GraphQLInt),
        args: { count: { type: new GraphQLNonNull(GraphQLInt) } },
        subscribe: async function* (_root: unknown, args: { count: number }) {
          for (let value = 1; value <= args.count; value += 1) {
            await sleep(TICK_INTERVAL_MS);
            yield { tick: value };
          }
        },
      },
    },
  }),
});

const DEFAULT_QUERY = '# Welcome to the test playground\nquery Greeting {\n  hello\n}\n';
const EXAMPLE_TABS = [
  { query: 'query Named($name: String) {\n  hello(name: $name)\n}\n', variables: '{ "name": "Ada" }' },
  { query: 'subscription Ticks {\n  tick(count: 3)\n}\n' },
];

interface TestServer {
  origin: string;
  playground: PlaygroundHandler;
  /** Every GraphQL POST the server answered: its authorization header and operation text. */
  posts: Array<{ authorization: string | undefined; query: string }>;
  /** The connection_init payload of every graphql-ws connection. */
  connectionParams: Array<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serveGraphQL(apollo: ApolloServer, req: IncomingMessage, res: ServerResponse, posts: TestServer['posts']): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const raw = await readBody(req);
  posts.push({ authorization: req.headers.authorization, query: raw ? String((JSON.parse(raw) as { query?: unknown }).query) : '' });
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: raw ? (JSON.parse(raw) as unknown) : {} },
    context: async () => ({}),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function startTestServer(options: Partial<PlaygroundOptions> = { exampleTabs: EXAMPLE_TABS }): Promise<TestServer> {
  const playground = createPlaygroundHandler({
    endpoint: '/graphql',
    title: 'Playground test',
    defaultQuery: DEFAULT_QUERY,
    ...options,
  });
  const posts: TestServer['posts'] = [];
  const connectionParams: TestServer['connectionParams'] = [];
  const apollo = new ApolloServer({ schema, introspection: true });
  await apollo.start();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await playground.handle(req, res)) return;
    if (req.url?.split('?')[0] === '/graphql' && req.method === 'POST') return serveGraphQL(apollo, req, res, posts);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
  };
  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      onConnect: (ctx) => {
        connectionParams.push(ctx.connectionParams);
      },
    },
    wsServer,
  );

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    playground,
    posts,
    connectionParams,
    async close() {
      await wsCleanup.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

/** A raw GET whose path is sent exactly as written (fetch would normalise `..`). */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Fake request carrying only what `wantsPlayground` looks at. */
function fakeRequest(method: string, url: string, accept?: string): IncomingMessage {
  return { method, url, headers: accept === undefined ? {} : { accept } } as unknown as IncomingMessage;
}

const DEVELOPMENT_TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJkZXZlbG9wZXIifQ.c2lnbmF0dXJl';

let server: TestServer;
/** The playground as the router serves it: the repository's operations as tabs, a development token. */
let tokenServer: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  tokenServer = await startTestServer({ developmentToken: async () => DEVELOPMENT_TOKEN });
});

afterAll(async () => {
  await server?.close();
  await tokenServer?.close();
});

describe('playground over plain HTTP', () => {
  it('wants the playground only for browser GETs on the endpoint without a query parameter', () => {
    const { playground } = server;
    const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    expect(playground.wantsPlayground(fakeRequest('GET', '/graphql', html))).toBe(true);
    expect(playground.wantsPlayground(fakeRequest('GET', '/graphql?foo=1', html))).toBe(true);
    expect(playground.wantsPlayground(fakeRequest('GET', '/graphql?query=%7Bhello%7D', html))).toBe(false);
    expect(playground.wantsPlayground(fakeRequest('GET', '/graphql', 'application/json'))).toBe(false);
    expect(playground.wantsPlayground(fakeRequest('GET', '/graphql'))).toBe(false);
    expect(playground.wantsPlayground(fakeRequest('POST', '/graphql', html))).toBe(false);
    expect(playground.wantsPlayground(fakeRequest('GET', '/other', html))).toBe(false);
  });

  it('serves the page with a per-response nonce CSP that allows only self', async () => {
    const load = async () => {
      const response = await fetch(`${server.origin}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      return { csp: response.headers.get('content-security-policy') ?? '', html: await response.text() };
    };
    const { csp, html } = await load();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'(;|$)/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect((await load()).csp).not.toContain(nonce);

    expect(html).toContain('<title>Playground test</title>');
    for (const file of ['react.production.min.js', 'react-dom.production.min.js', 'graphql-ws.min.js', 'graphiql.min.js']) {
      expect(html).toMatch(new RegExp(`<script src="/playground/assets/${file.replace(/\./g, '\\.')}\\?v=[\\w-]+"></script>`));
    }
    expect(html).toMatch(/<link rel="stylesheet" href="\/playground\/assets\/graphiql\.min\.css\?v=[\w-]+">/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves an asset with its content type, ETag and cache headers, and honours If-None-Match', async () => {
    const response = await fetch(`${server.origin}/playground/assets/graphiql.min.css?v=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(await response.text()).toContain('.graphiql-container');

    const script = await fetch(`${server.origin}/playground/assets/graphql-ws.min.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('must-revalidate');
    expect(await script.text()).toContain('graphqlWs');

    const revalidated = await fetch(`${server.origin}/playground/assets/graphiql.min.css`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(revalidated.status).toBe(304);
  });

  it('answers 404 for an unknown asset', async () => {
    const response = await fetch(`${server.origin}/playground/assets/graphiql.min.js.map`);
    expect(response.status).toBe(404);
  });

  it('refuses path traversal out of the asset directory', async () => {
    for (const path of [
      '/playground/assets/../../package.json',
      '/playground/assets/..%2F..%2Fpackage.json',
      '/playground/assets/%2e%2e/%2e%2e/package.json',
      '/playground/assets/../../../../../../etc/passwd',
      '/playground/assets/',
    ]) {
      const response = await rawGet(server.origin, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('"name"');
      expect(response.body, path).not.toContain('root:');
    }
  });

  it('leaves JSON POSTs to the endpoint for the GraphQL handler', async () => {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'Hello, world!' } });
  });
});

describe('playground in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requestedUrls: string[];
  let consoleErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  let opened: TestServer;

  /** Opens the playground in a fresh context, recording every request and console error. */
  async function openPlayground(target: TestServer = server): Promise<Page> {
    opened = target;
    requestedUrls = [];
    consoleErrors = [];
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (req) => requestedUrls.push(req.url()));
    page.on('websocket', (ws) => requestedUrls.push(ws.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    const response = await page.goto(`${target.origin}/graphql`);
    expect(response?.status()).toBe(200);
    await page.locator('.graphiql-container .graphiql-query-editor .CodeMirror').waitFor({ timeout: 20_000 });
    return page;
  }

  afterEach(async () => {
    await context?.close();
    // Nothing may leave the router's origin: no CDN, no fonts, no telemetry.
    const origin = new URL(opened.origin);
    const foreign = requestedUrls.filter((url) => {
      const parsed = new URL(url);
      if (parsed.protocol === 'data:') return false;
      return parsed.host !== origin.host;
    });
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  async function editorValue(selector: string): Promise<string> {
    return page
      .locator(`${selector} .CodeMirror`)
      .first()
      .evaluate((element: unknown) => {
        return (element as { CodeMirror: { getValue(): string } }).CodeMirror.getValue();
      });
  }
  const queryText = (): Promise<string> => editorValue('.graphiql-query-editor');
  const responseText = (): Promise<string> => editorValue('.graphiql-response');

  async function typeOperation(operation: string): Promise<void> {
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(operation);
    expect(await queryText()).toBe(operation);
    // GraphiQL reads the edited document (its operation name included) 100 ms after the last
    // keystroke, then stores it: executing before that would send the previous operation's name.
    const storedQuery = () =>
      page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('graphiql:query'));
    await expect.poll(storedQuery).toBe(operation);
  }

  it('renders GraphiQL from local assets with the default query and example tabs', async () => {
    await openPlayground();
    expect(await queryText()).toBe(DEFAULT_QUERY);
    const tabs = page.locator('.graphiql-tab-button');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Greeting', 'Named', 'Ticks']);
    await tabs.nth(1).click();
    await expect.poll(queryText).toBe(EXAMPLE_TABS[0]?.query);
    expect(await editorValue('.graphiql-editor-tool')).toBe(EXAMPLE_TABS[0]?.variables);
    const assets = requestedUrls.filter((url) => url.includes('/playground/assets/'));
    expect(assets.length).toBe(6);
  });

  it('opens GraphiQL dialogs without tripping the CSP', async () => {
    // Dialogs inject <style> elements at runtime; the boot script gives them the page nonce.
    await openPlayground();
    await page.locator('[aria-label="Open settings dialog"]').click();
    await page.getByRole('dialog').getByText('Persist headers').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('runs a query typed into the editor and shows the result', async () => {
    await openPlayground();
    await typeOperation('{ hello(name: "Playground") }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(responseText, { timeout: 10_000 }).toContain('"hello": "Hello, Playground!"');
    await page.screenshot({ path: '/tmp/playground-query.png' });
  });

  it('streams subscription values over graphql-ws as they arrive', async () => {
    await openPlayground();
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await typeOperation('subscription { tick(count: 3) }');
    await page.locator('.graphiql-execute-button').click();
    // Each value replaces the previous one in the response pane, one every TICK_INTERVAL_MS.
    for (const value of [1, 2, 3]) {
      await expect.poll(responseText, { timeout: 10_000, interval: 20 }).toContain(`"tick": ${value}`);
    }
    // The socket saw every value, then the server's completion.
    await expect.poll(() => frames.some((frame) => frame.includes('"complete"'))).toBe(true);
    const messages = frames.map((frame) => JSON.parse(frame) as { type: string; payload?: { data?: { tick?: number } } });
    expect(messages[0]?.type).toBe('connection_ack');
    expect(messages.filter((m) => m.type === 'next').map((m) => m.payload?.data?.tick)).toEqual([1, 2, 3]);
    await page.screenshot({ path: '/tmp/playground.png' });
  });

  it('opens every operation under schema/operations as a tab, with its example variables', async () => {
    await openPlayground(tokenServer);
    const operations = loadOperationTabs();
    const names = operations.map((tab) => /^(?:query|mutation|subscription)\s+(\w+)/m.exec(tab.query)?.[1]);
    expect(names).toContain('DashboardCampaign');
    expect(names).toContain('StockLevelLive');
    const tabs = page.locator('.graphiql-tab-button');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Greeting', ...names]);

    const index = names.indexOf('StockLevel');
    await tabs.nth(index + 1).click();
    await expect.poll(queryText).toBe(operations[index]?.query);
    expect(JSON.parse(await editorValue('.graphiql-editor-tool'))).toEqual({ productId: 'seed-product-1', storeId: 'seed-store-1' });
  });

  it('prefills the Headers of every tab with the development token, says so, and sends it', async () => {
    await openPlayground(tokenServer);
    await expect.poll(() => page.getByRole('note').innerText()).toContain('Development token');
    const headersText = () =>
      page
        .locator('.graphiql-editor-tool .CodeMirror')
        .nth(1)
        .evaluate((element: unknown) => (element as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    expect(JSON.parse(await headersText())).toEqual({ authorization: `Bearer ${DEVELOPMENT_TOKEN}` });
    await page.locator('.graphiql-tab-button').nth(3).click();
    expect(JSON.parse(await headersText())).toEqual({ authorization: `Bearer ${DEVELOPMENT_TOKEN}` });

    await typeOperation('{ hello(name: "Token") }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(responseText, { timeout: 10_000 }).toContain('"hello": "Hello, Token!"');
    expect(tokenServer.posts.filter((post) => post.query.includes('Token')).map((post) => post.authorization)).toEqual([`Bearer ${DEVELOPMENT_TOKEN}`]);
  });

  it('runs a subscription pasted and executed at once over graphql-ws, with the token in connection_init', async () => {
    await openPlayground(tokenServer);
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    // The editor starts on the Greeting query; the pasted text replaces it and runs right away,
    // before GraphiQL has parsed it (it does 100 ms after the last keystroke).
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('subscription Pasted { tick(count: 2) }');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(responseText, { timeout: 10_000, interval: 20 }).toContain('"tick": 2');
    const messages = frames.map((frame) => JSON.parse(frame) as { type: string; payload?: { data?: { tick?: number } } });
    expect(messages.filter((message) => message.type === 'next').map((message) => message.payload?.data?.tick)).toEqual([1, 2]);
    expect(tokenServer.posts.filter((post) => post.query.includes('tick'))).toEqual([]);
    expect(tokenServer.connectionParams.at(-1)).toEqual({ authorization: `Bearer ${DEVELOPMENT_TOKEN}` });
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/playground-subscription.png' });
  });
});
