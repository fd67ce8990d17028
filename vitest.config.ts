import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for everyone (graphql@16 has no "exports" map), but
    // Vite would hand our ESM code the .mjs build: two graphql realms, and schemas built by the
    // Apollo libraries would be rejected. Pin the same file Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more parallel files only add contention on the shared Postgres.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
