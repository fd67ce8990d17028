/**
 * The dashboard's HTML for one response: the built page with its configuration written in as an
 * inline script (allowed by the response's nonce), under a CSP that allows only this origin.
 */
import { escapeHtml, isBase64Nonce, nonceContentSecurityPolicy, scriptJson } from '../static-files/static-asset.js';

/** What the page is told (read by the app as `window.__TRIBUTARY__`). */
export interface DashboardPageConfig {
  readonly endpoint: string;
  readonly token?: string;
}

/** A rendered page with the CSP it must be served with. */
export interface DashboardPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/**
 * Writes the configuration into the built `index.html`, before its first script so it is there
 * when the app starts. `nonce` must be fresh, unguessable and base64.
 */
export function renderDashboardPage(indexHtml: string, config: DashboardPageConfig, nonce: string): DashboardPage {
  if (!isBase64Nonce(nonce)) throw new Error('dashboard: a nonce must be base64');
  const script = `<script nonce="${escapeHtml(nonce)}">window.__TRIBUTARY__ = ${scriptJson(config)};</script>`;
  const at = indexHtml.search(/<script\b/i);
  const html = at < 0 ? indexHtml.replace(/<\/head>/i, `${script}\n</head>`) : `${indexHtml.slice(0, at)}${script}\n    ${indexHtml.slice(at)}`;
  // The app creates no style elements and loads no fonts: styles and fonts only from the origin.
  return { html, contentSecurityPolicy: nonceContentSecurityPolicy(nonce, { nonceStyles: false, dataFonts: false }) };
}
