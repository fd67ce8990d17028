/** The built dashboard's files, read once into memory: only these exact paths are ever served. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createStaticAsset, type StaticAsset } from '../static-files/static-asset.js';

/** The page and the other files of a build, by URL path (`/assets/index-3f2a.js`). */
export interface DashboardFiles {
  /** `index.html` as built, before the page's configuration is written into it. */
  readonly indexHtml: string;
  readonly assets: ReadonlyMap<string, StaticAsset>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/** Reads every file of `distDir`. */
export function loadDashboardFiles(distDir: string): DashboardFiles {
  const assets = new Map<string, StaticAsset>();
  let indexHtml: string | undefined;
  for (const file of filesUnder(distDir)) {
    const urlPath = `/${relative(distDir, file).split(sep).join('/')}`;
    if (urlPath === '/index.html') indexHtml = readFileSync(file, 'utf8');
    else assets.set(urlPath, createStaticAsset(urlPath, readFileSync(file)));
  }
  if (indexHtml === undefined) throw new Error(`${distDir} holds no index.html`);
  return { indexHtml, assets };
}
