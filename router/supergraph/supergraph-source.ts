import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the router gets its supergraph SDL, and how it hears about a new one. */
export interface SupergraphSource {
  load(): Promise<string>;
  /** Calls `onChange` with each new SDL; returns the function that stops watching. */
  watch(onChange: (sdl: string) => void): () => void;
}

/** A fixed SDL (tests, embedding). */
export function staticSupergraph(sdl: string): SupergraphSource {
  return { load: async () => sdl, watch: () => () => undefined };
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The composed file (`schema/supergraph.graphql`). Watches its folder (editors and `npm run
 * compose` replace the file, which a watch on the file itself would miss) and reports real content
 * changes only, after writes settle.
 */
export function fileSupergraph(file: string, options: { debounceMs?: number } = {}): SupergraphSource {
  const absolute = path.resolve(file);
  let lastDigest = '';
  return {
    async load() {
      const sdl = await readFile(absolute, 'utf8');
      lastDigest = digest(sdl);
      return sdl;
    },
    watch(onChange) {
      let timer: NodeJS.Timeout | undefined;
      const check = async () => {
        const sdl = await readFile(absolute, 'utf8').catch(() => undefined);
        if (sdl === undefined || sdl.trim() === '') return;
        const next = digest(sdl);
        if (next === lastDigest) return;
        lastDigest = next;
        onChange(sdl);
      };
      const watcher: FSWatcher = watch(path.dirname(absolute), (_event, name) => {
        if (name && name.toString() !== path.basename(absolute)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void check(), options.debounceMs ?? 100);
      });
      return () => {
        clearTimeout(timer);
        watcher.close();
      };
    },
  };
}
