/**
 * Static assets of the playground: the GraphiQL, React and graphql-ws browser bundles, read once
 * from node_modules and held in memory, so the playground works without any network access.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createStaticAsset, type StaticAsset } from '../static-files/static-asset.js';

/** One file the playground serves under `/playground/assets/<name>`. */
export type PlaygroundAsset = StaticAsset;

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
.playground { display: flex; flex-direction: column; height: 100vh; }
#graphiql { flex: 1; min-height: 0; }
.playground-loading { font-family: system-ui, sans-serif; padding: 2rem; color: #666; }
.playground-notice { font: 13px/1.4 system-ui, sans-serif; padding: 6px 12px; background: #fff4d6; color: #5c4400; border-bottom: 1px solid #e8d28a; }
`;

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
    assets.set(source.name, createStaticAsset(source.name, body));
  }
  assets.set('playground.css', createStaticAsset('playground.css', Buffer.from(PLAYGROUND_CSS)));
  return assets;
}
