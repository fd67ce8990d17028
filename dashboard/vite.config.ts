import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dashboardDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard bundle: one page, hashed assets under `assets/`, no source maps and nothing
 * fetched from elsewhere at run time. The `.graphql` operations are imported as text (`?raw`).
 * `build.mjs` may send the output elsewhere (`outDir`).
 */
export default defineConfig({
  root: dashboardDir,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
});
