/**
 * Static assets of the playground: the GraphiQL, React and graphql-ws browser bundles, read once
 * from node_modules and held in memory, so the playground works without any network access.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file the playground serves under `/playground/assets/<name>`. */
export interface PlaygroundAsset {
  /** File name in the URL; the only names ever served. */
  readonly name: string;
  /** `Content-Type` header value. */
  readonly contentType: string;
  /** File content. */
  readonly body: Buffer;
  /** Strong ETag (quoted), derived from the content. */
  readonly etag: string;
  /** Short content hash, appended as `?v=` to asset URLs so they can be cached as immutable. */
  readonly version: string;
  /** The gzip-compressed body, computed on first use. */
  gzipped(): Buffer;
}

/** Where each served file comes from: an npm package and a path inside it. */
const SOURCES = [
  { name: 'react.production.min.js', pkg: 'react', file: 'umd/react.production.min.js' },
  { name: 'react-dom.production.min.js', pkg: 'react-dom', file: 'umd/react-dom.production.min.js' },
  { name: 'graphql-ws.min.js', pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js' },
  { name: 'graphiql.min.js', pkg: 'graphiql', file: 'graphiql.min.js' },
  { name: 'graphiql.min.css', pkg: 'graphiql', file: 'graphiql.min.css' },
] as const;

/** Names of the assets, in the order the page must load the scripts. */
export type PlaygroundAssetName = (typeof SOURCES)[number]['name'] | 'playground.css';

/** Page layout for the playground; GraphiQL must fill the viewport. */
const PLAYGROUND_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
.playground-loading { font-family: system-ui, sans-serif; padding: 2rem; color: #666; }
`;

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

const require = createRequire(import.meta.url);

/** Directory of an installed package, found through its `package.json`, or its main entry. */
function packageDirectory(pkg: string): string {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    // Packages whose `exports` hide package.json: walk up from the main entry.
    let dir = dirname(require.resolve(pkg));
    while (dirname(dir) !== dir) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
        if (manifest.name === pkg) return dir;
      } catch {
        // no package.json at this level
      }
      dir = dirname(dir);
    }
    throw new Error(`playground: cannot locate the installed package ${pkg}`);
  }
}

function makeAsset(name: string, body: Buffer): PlaygroundAsset {
  const hash = createHash('sha256').update(body).digest('base64url');
  const extension = name.slice(name.lastIndexOf('.') + 1);
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

/**
 * Reads every playground asset from node_modules (synchronously, once) and returns them by name.
 * Only the names in this map are ever served, which rules out path traversal by construction.
 *
 * @throws Error when one of the packages (graphiql, react, react-dom, graphql-ws) is not installed.
 */
export function loadPlaygroundAssets(): ReadonlyMap<PlaygroundAssetName, PlaygroundAsset> {
  const assets = new Map<PlaygroundAssetName, PlaygroundAsset>();
  for (const source of SOURCES) {
    const body = readFileSync(join(packageDirectory(source.pkg), source.file));
    assets.set(source.name, makeAsset(source.name, body));
  }
  assets.set('playground.css', makeAsset('playground.css', Buffer.from(PLAYGROUND_CSS)));
  return assets;
}
