/**
 * The playground HTML page: loads the bundled assets and boots GraphiQL with a fetcher that sends
 * queries and mutations over HTTP and subscriptions over graphql-ws, under a strict CSP.
 */
import { escapeHtml, isBase64Nonce, nonceContentSecurityPolicy, scriptJson } from '../static-files/static-asset.js';
import type { PlaygroundAsset, PlaygroundAssetName } from './assets.js';

/** URL prefix under which the playground assets are served. */
export const ASSET_PREFIX = '/playground/assets/';

/** One pre-filled editor tab. */
export interface PlaygroundTab {
  /** Operation text. */
  query: string;
  /** Variables, as JSON text. */
  variables?: string;
  /** Headers, as JSON text. */
  headers?: string;
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

/**
 * Renders the page for one response; `nonce` must be fresh, unguessable and base64. With a
 * `developmentToken`, every tab's Headers hold it as a bearer token and the page says it is one.
 */
export type PlaygroundPageRenderer = (nonce: string, developmentToken?: string) => PlaygroundPage;

/**
 * Boot script, inlined in the page and allowed by its nonce; `__CONFIG__` is replaced by JSON.
 *
 * graphiql@3's own fetcher tells a subscription by the editor's parsed document, which it updates
 * 100 ms after the last keystroke: an operation pasted and run at once would go out as a POST,
 * with the previous operation's name. This fetcher reads the text it is given instead (a scan of
 * the top-level definitions, skipping comments, strings and nested braces), corrects an operation
 * name the text does not define, and sends subscriptions itself over the graphql-ws 6 client; the
 * socket opens with the Headers of the subscription that opened it as its connection_init payload.
 *
 * Headers are not persisted by GraphiQL, so tabs restored from an earlier visit get the development
 * token's headers again before GraphiQL reads them.
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

  function operationsOf(text) {
    var operations = [];
    var depth = 0, parens = 0, expecting = false, i = 0, n = text.length;
    var nameAt = /[_A-Za-z][_0-9A-Za-z]*/y;
    function readName(from) {
      nameAt.lastIndex = from;
      var match = nameAt.exec(text);
      return match ? match[0] : undefined;
    }
    while (i < n) {
      var c = text[i];
      if (c === '#') { while (i < n && text[i] !== '\\n' && text[i] !== '\\r') i++; continue; }
      if (c === '"') {
        if (text.slice(i, i + 3) === '"""') {
          i += 3;
          while (i < n && text.slice(i, i + 3) !== '"""') i += text.slice(i, i + 4) === '\\\\"""' ? 4 : 1;
          i += 3;
        } else {
          i++;
          while (i < n && text[i] !== '"' && text[i] !== '\\n') i += text[i] === '\\\\' ? 2 : 1;
          i++;
        }
        continue;
      }
      if (c === '(') { parens++; i++; continue; }
      if (c === ')') { parens--; i++; continue; }
      if (parens === 0 && c === '{') {
        if (depth === 0 && !expecting) operations.push({ type: 'query', name: undefined });
        if (depth === 0) expecting = false;
        depth++; i++; continue;
      }
      if (parens === 0 && c === '}') { depth--; i++; continue; }
      var word = depth === 0 && parens === 0 && text[i - 1] !== '$' ? readName(i) : undefined;
      if (word === undefined) { i++; continue; }
      if (!expecting && (word === 'query' || word === 'mutation' || word === 'subscription')) {
        var j = i + word.length;
        while (j < n && /[\\s,]/.test(text[j])) j++;
        operations.push({ type: word, name: readName(j) });
        expecting = true;
      } else if (!expecting && word === 'fragment') {
        expecting = true;
      }
      i += word.length;
    }
    return operations;
  }

  function operationToRun(text, operationName) {
    var operations = operationsOf(text);
    for (var k = 0; k < operations.length; k++) if (operations[k].name === operationName) return operations[k];
    if (operations.length === 1) return operations[0];
    return { type: 'query', name: operationName };
  }

  var socketHeaders = {};
  var wsClient = graphqlWs.createClient({
    url: url.href.replace(/^http/, 'ws'),
    lazy: true,
    retryAttempts: 5,
    connectionParams: function () { return socketHeaders; },
  });
  var httpFetcher = GraphiQL.createFetcher({ url: url.href });
  function fetcher(params, options) {
    var operation = operationToRun(params.query, params.operationName || undefined);
    var request = { query: params.query, variables: params.variables, operationName: operation.name };
    var headers = (options && options.headers) || {};
    if (operation.type === 'subscription') {
      socketHeaders = headers;
      return wsClient.iterate(request);
    }
    return httpFetcher(request, { headers: headers });
  }

  if (config.headers !== undefined) {
    try {
      var stored = JSON.parse(window.localStorage.getItem('graphiql:tabState') || 'null');
      if (stored && Array.isArray(stored.tabs)) {
        stored.tabs.forEach(function (tab) { if (!tab.headers) tab.headers = config.headers; });
        window.localStorage.setItem('graphiql:tabState', JSON.stringify(stored));
      }
    } catch (error) {
      // unreadable storage: GraphiQL starts from the default tabs
    }
  }

  var props = { fetcher: fetcher, defaultEditorToolsVisibility: true };
  if (config.defaultQuery !== undefined) props.defaultQuery = config.defaultQuery;
  if (config.defaultTabs !== undefined) props.defaultTabs = config.defaultTabs;
  if (config.headers !== undefined) props.defaultHeaders = config.headers;
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();`;

const SCRIPT_ORDER: readonly PlaygroundAssetName[] = ['react.production.min.js', 'react-dom.production.min.js', 'graphql-ws.min.js', 'graphiql.min.js'];
const STYLE_ORDER: readonly PlaygroundAssetName[] = ['graphiql.min.css', 'playground.css'];

/**
 * GraphiQL's `defaultTabs`: the default query's tab first, then the examples, each with `headers`
 * unless it has its own. Without examples but with headers, the default query's tab alone.
 */
function tabsOf(options: PlaygroundPageOptions, headers: string | undefined): PlaygroundTab[] | undefined {
  const examples = options.exampleTabs ?? [];
  if (examples.length === 0 && headers === undefined) return undefined;
  const first = options.defaultQuery === undefined ? [] : [{ query: options.defaultQuery }];
  const tabs = [...first, ...examples.map((tab) => ({ ...tab }))];
  return headers === undefined ? tabs : tabs.map((tab) => ({ headers, ...tab }));
}

/** The Headers editor's text for a development token. */
export function developmentHeaders(token: string): string {
  return JSON.stringify({ authorization: `Bearer ${token}` }, null, 2);
}

/** Shown above GraphiQL when the Headers hold a development token. */
const DEVELOPMENT_NOTICE =
  '<div class="playground-notice" role="note">Development token: the Headers tab holds a bearer token the router issued for local development. Do not use it elsewhere.</div>';

/**
 * Prepares the page once (it depends only on the options and asset versions) and returns a
 * renderer that stamps a response's nonce into the document and its CSP.
 */
export function createPlaygroundPage(options: PlaygroundPageOptions, assets: ReadonlyMap<PlaygroundAssetName, PlaygroundAsset>): PlaygroundPageRenderer {
  const href = (name: PlaygroundAssetName): string => escapeHtml(`${ASSET_PREFIX}${name}?v=${assets.get(name)?.version ?? '0'}`);
  const scriptOf = (headers: string | undefined): string => {
    const config = { endpoint: options.endpoint, defaultQuery: options.defaultQuery, defaultTabs: tabsOf(options, headers), headers };
    return BOOT_SCRIPT.replace('__CONFIG__', () => scriptJson(config));
  };
  const anonymousScript = scriptOf(undefined);

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
<div class="playground">`;
  const middle = `<div id="graphiql"><div class="playground-loading">Loading GraphiQL…</div></div>
</div>
${SCRIPT_ORDER.map((name) => `<script src="${href(name)}"></script>`).join('\n')}
<script nonce="`;
  const after = (script: string) => `">${script}</script>
</body>
</html>
`;

  return (nonce, developmentToken) => {
    if (!isBase64Nonce(nonce)) throw new Error('playground: a nonce must be base64');
    const script = developmentToken === undefined ? anonymousScript : scriptOf(developmentHeaders(developmentToken));
    const notice = developmentToken === undefined ? '' : DEVELOPMENT_NOTICE;
    // GraphiQL's dialogs add style elements (given the nonce above); its CSS inlines fonts.
    const contentSecurityPolicy = nonceContentSecurityPolicy(nonce, { nonceStyles: true, dataFonts: true });
    return { html: before + notice + middle + nonce + after(script), contentSecurityPolicy };
  };
}
