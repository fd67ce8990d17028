/**
 * The playground HTML page: loads the bundled assets and boots GraphiQL with a fetcher that sends
 * queries and mutations over HTTP and subscriptions over graphql-ws, under a strict CSP.
 */
import type { PlaygroundAsset, PlaygroundAssetName } from './assets.js';

/** URL prefix under which the playground assets are served. */
export const ASSET_PREFIX = '/playground/assets/';

/** One pre-filled editor tab. */
export interface PlaygroundTab {
  /** Operation text. */
  query: string;
  /** Variables, as JSON text. */
  variables?: string;
}

/** What the page needs to know to boot GraphiQL. */
export interface PlaygroundPageOptions {
  /** GraphQL endpoint path (HTTP and WebSocket), e.g. `/graphql`. */
  endpoint: string;
  /** Document title. */
  title: string;
  /** Query of the first tab and of new tabs. */
  defaultQuery?: string;
  /** Extra example tabs, opened after the default query's tab. */
  exampleTabs?: readonly PlaygroundTab[];
}

/** A rendered page with the headers it must be served with. */
export interface PlaygroundPage {
  /** Full HTML document. */
  readonly html: string;
  /** `Content-Security-Policy` header value. */
  readonly contentSecurityPolicy: string;
}

/** Renders the page for one response; `nonce` must be fresh, unguessable and base64. */
export type PlaygroundPageRenderer = (nonce: string) => PlaygroundPage;

/**
 * Boot script, inlined in the page and allowed by its nonce; `__CONFIG__` is replaced by JSON.
 *
 * graphiql@3's `createFetcher` prefers `wsClient` over `subscriptionUrl` (with a client, its own
 * bundled, older graphql-ws is never used), so subscriptions go through the graphql-ws 6 client.
 *
 * GraphiQL's dialogs (via react-remove-scroll) inject `<style>` elements at runtime and offer no
 * way in from a UMD bundle to give them a nonce, so style elements created by script get the
 * page's nonce here; the CSP can then keep `style-src` free of 'unsafe-inline'.
 */
const BOOT_SCRIPT = `(function () {
  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) {
    var createElement = document.createElement;
    document.createElement = function (tagName, options) {
      var element = createElement.call(document, tagName, options);
      if (String(tagName).toLowerCase() === 'style') element.setAttribute('nonce', nonce);
      return element;
    };
  }
  var config = __CONFIG__;
  var url = new URL(config.endpoint, window.location.href);
  url.hash = '';
  var subscriptionUrl = url.href.replace(/^http/, 'ws');
  var wsClient = graphqlWs.createClient({ url: subscriptionUrl, lazy: true, retryAttempts: 5 });
  var fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl, wsClient: wsClient });
  var props = { fetcher: fetcher, defaultEditorToolsVisibility: true };
  if (config.defaultQuery !== undefined) props.defaultQuery = config.defaultQuery;
  if (config.defaultTabs !== undefined) props.defaultTabs = config.defaultTabs;
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();`;

const SCRIPT_ORDER: readonly PlaygroundAssetName[] = [
  'react.production.min.js',
  'react-dom.production.min.js',
  'graphql-ws.min.js',
  'graphiql.min.js',
];
const STYLE_ORDER: readonly PlaygroundAssetName[] = ['graphiql.min.css', 'playground.css'];

/** JSON safe to embed in an inline `<script>` (no `</script>`, `<!--` or stray line separators). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** GraphiQL's `defaultTabs`: the default query's tab first, then the examples. */
function tabsOf(options: PlaygroundPageOptions): PlaygroundTab[] | undefined {
  const examples = options.exampleTabs ?? [];
  if (examples.length === 0) return undefined;
  const first = options.defaultQuery === undefined ? [] : [{ query: options.defaultQuery }];
  return [...first, ...examples.map((tab) => ({ ...tab }))];
}

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "font-src 'self' data:",
    "img-src 'self' data:",
    // 'self' covers ws:/wss: on the same host (CSP3), which is where subscriptions go.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Prepares the page once (it depends only on the options and asset versions) and returns a
 * renderer that stamps a response's nonce into the document and its CSP.
 */
export function createPlaygroundPage(
  options: PlaygroundPageOptions,
  assets: ReadonlyMap<PlaygroundAssetName, PlaygroundAsset>,
): PlaygroundPageRenderer {
  const href = (name: PlaygroundAssetName): string =>
    escapeHtml(`${ASSET_PREFIX}${name}?v=${assets.get(name)?.version ?? '0'}`);
  const config = { endpoint: options.endpoint, defaultQuery: options.defaultQuery, defaultTabs: tabsOf(options) };
  const script = BOOT_SCRIPT.replace('__CONFIG__', () => scriptJson(config));

  // The nonce goes between these two halves, so no user-supplied text can be mistaken for it.
  const before = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
${STYLE_ORDER.map((name) => `<link rel="stylesheet" href="${href(name)}">`).join('\n')}
</head>
<body>
<div id="graphiql"><div class="playground-loading">Loading GraphiQL…</div></div>
${SCRIPT_ORDER.map((name) => `<script src="${href(name)}"></script>`).join('\n')}
<script nonce="`;
  const after = `">${script}</script>
</body>
</html>
`;

  return (nonce) => {
    if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error('playground: a nonce must be base64');
    return { html: before + nonce + after, contentSecurityPolicy: contentSecurityPolicy(nonce) };
  };
}
