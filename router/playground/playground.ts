/**
 * GraphiQL playground for the router: a GET with `Accept: text/html` on the GraphQL endpoint gets
 * the IDE, bundled from npm and served from `/playground/assets/`, so it works offline.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendStaticAsset, sendText, splitTarget } from '../static-files/static-asset.js';
import { loadPlaygroundAssets, type PlaygroundAssetName } from './assets.js';
import { loadOperationTabs } from './operation-tabs.js';
import { ASSET_PREFIX, createPlaygroundPage } from './page.js';

export { ASSET_PREFIX, developmentHeaders, type PlaygroundTab } from './page.js';
export { loadOperationTabs } from './operation-tabs.js';

/** Options of {@link createPlaygroundHandler}. */
export interface PlaygroundOptions {
  /** Path of the GraphQL endpoint, e.g. `/graphql`; the page is served there and talks to it. */
  endpoint: string;
  /** Page title; defaults to "Tributary GraphiQL". */
  title?: string;
  /** Query shown in the first tab (and in new tabs). */
  defaultQuery?: string;
  /**
   * Example tabs opened after the default query's tab on a first visit; by default one per
   * operation under `schema/operations/`.
   */
  exampleTabs?: Array<{ query: string; variables?: string; headers?: string }>;
  /**
   * The development token, read for every page: when it gives one, the Headers of every tab
   * hold it (`authorization: Bearer …`) and the page says it is a development token.
   */
  developmentToken?: () => Promise<string | undefined>;
}

/** The playground's request handling, to be plugged in front of the GraphQL HTTP handler. */
export interface PlaygroundHandler {
  /** True for a GET on the endpoint that accepts `text/html` and carries no `query` parameter. */
  wantsPlayground(req: IncomingMessage): boolean;
  /**
   * Serves the playground page or one of its assets. Resolves `false`, without touching `res`,
   * when the request is for neither (for instance a JSON POST to the endpoint).
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('text/html');
}

/**
 * Creates the playground handler. Reads the GraphiQL, React and graphql-ws bundles from
 * node_modules right away (so a missing package fails at startup) and prepares the page, which
 * is then served with a fresh CSP nonce per response.
 *
 * @example
 * const playground = createPlaygroundHandler({ endpoint: '/graphql', defaultQuery: '{ products { edges { node { id } } } }' });
 * http.createServer(async (req, res) => { if (await playground.handle(req, res)) return; graphql(req, res); });
 */
export function createPlaygroundHandler(options: PlaygroundOptions): PlaygroundHandler {
  const assets = loadPlaygroundAssets();
  const pageOptions = {
    endpoint: options.endpoint,
    title: options.title ?? 'Tributary GraphiQL',
    ...(options.defaultQuery === undefined ? {} : { defaultQuery: options.defaultQuery }),
    exampleTabs: options.exampleTabs ?? loadOperationTabs(),
  };
  const renderPage = createPlaygroundPage(pageOptions, assets);

  const wantsPlayground = (req: IncomingMessage): boolean => {
    if (req.method !== 'GET' || !acceptsHtml(req)) return false;
    const { path, search } = splitTarget(req.url);
    return path === options.endpoint && !search.has('query');
  };

  const servePage = async (res: ServerResponse): Promise<void> => {
    const token = await options.developmentToken?.();
    const page = renderPage(randomBytes(18).toString('base64'), token || undefined);
    const pageBody = Buffer.from(page.html);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(pageBody.length),
      'content-security-policy': page.contentSecurityPolicy,
      // Each response carries its own CSP nonce, so a stored copy must never be reused.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    res.end(pageBody);
  };

  const serveAsset = (req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
      return;
    }
    // Exact lookup in a fixed whitelist: "..", "%2e%2e", "/" and friends simply are not names.
    const asset = assets.get(path.slice(ASSET_PREFIX.length) as PlaygroundAssetName);
    if (asset === undefined) {
      sendText(res, 404, 'Not Found');
      return;
    }
    // URLs from the page carry the content hash, so they never change; bare URLs revalidate.
    sendStaticAsset(req, res, asset, search.has('v'));
  };

  return {
    wantsPlayground,
    handle(req, res) {
      if (wantsPlayground(req)) return servePage(res).then(() => true);
      const { path, search } = splitTarget(req.url);
      if (!path.startsWith(ASSET_PREFIX)) return Promise.resolve(false);
      serveAsset(req, res, path, search);
      return Promise.resolve(true);
    },
  };
}
