/**
 * Serves the live dashboard at `/` and its built assets under `/assets/`; every other path is
 * left to the router (GraphiQL stays at `/graphql`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendStaticAsset, sendText, splitTarget } from '../static-files/static-asset.js';
import { DEFAULT_DIST_DIR, ensureDashboardBuilt } from './dashboard-build.js';
import { loadDashboardFiles, type DashboardFiles } from './dashboard-files.js';
import { renderDashboardPage } from './dashboard-page.js';

/** Options of {@link createDashboardHandler}. */
export interface DashboardOptions {
  /**
   * The development token, read for every page: when it gives one, the page sends it with its
   * mutations (`authorization: Bearer …`, also in graphql-ws `connection_init`).
   */
  developmentToken?: () => Promise<string | undefined>;
  /** GraphQL endpoint path the app talks to; `/graphql` by default. */
  endpoint?: string;
  /** The build to serve; `dashboard/dist` by default (built there first if missing). */
  distDir?: string;
}

/** The dashboard's request handling, one of the router's extra routes. */
export interface DashboardHandler {
  /** Serves the page or an asset and resolves true; false, without touching `res`, for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

/** Vite puts a content hash in every asset name under `assets/`: those URLs never change. */
const HASHED_ASSET = /^\/assets\/.+-[\w-]{8,}\.\w+$/;

/**
 * Creates the dashboard handler. The build is loaded (and made first if it is missing) right away
 * in the background; requests wait for it, and get a 503 saying why if it cannot be had.
 */
export function createDashboardHandler(options: DashboardOptions = {}): DashboardHandler {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const endpoint = options.endpoint ?? '/graphql';
  const files: Promise<DashboardFiles> = ensureDashboardBuilt(distDir).then(() => loadDashboardFiles(distDir));
  // Failures are reported to requests; this keeps an unhandled rejection from ending the process.
  files.catch(() => undefined);

  const servePage = async (res: ServerResponse, built: DashboardFiles): Promise<void> => {
    const token = (await options.developmentToken?.()) || undefined;
    const page = renderDashboardPage(built.indexHtml, token === undefined ? { endpoint } : { endpoint, token }, randomBytes(18).toString('base64'));
    const body = Buffer.from(page.html);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(body.length),
      'content-security-policy': page.contentSecurityPolicy,
      // The page carries a per-response nonce and possibly a token: never stored.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  };

  return {
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const { path } = splitTarget(req.url);
      const isPage = path === '/' || path === '/index.html';
      if (!isPage && !path.startsWith('/assets/')) return false;
      let built: DashboardFiles;
      try {
        built = await files;
      } catch (error) {
        sendText(
          res,
          503,
          `The dashboard is not built: ${error instanceof Error ? error.message : String(error)}\nRun npm install (or node dashboard/build.mjs).`,
        );
        return true;
      }
      if (isPage) {
        await servePage(res, built);
        return true;
      }
      // Exact lookup among the built files: "..", "%2e%2e" and the like simply are not names.
      const asset = built.assets.get(path);
      if (!asset) sendText(res, 404, 'Not Found');
      else sendStaticAsset(req, res, asset, HASHED_ASSET.test(path));
      return true;
    },
  };
}
