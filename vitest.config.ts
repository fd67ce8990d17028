import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Test files that compare a latency or an event-loop lag with a baseline taken in the same file. */
const LATENCY_BOUNDED = ['test/router/protection.test.ts', 'test/history/integration/comparison-event-loop.test.ts'];

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for everyone (graphql@16 has no "exports" map), but
    // Vite would hand our ESM code the .mjs build: two graphql realms, and schemas built by the
    // Apollo libraries would be rejected. Pin the same file Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more parallel files only add contention on the shared Postgres.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'behaviour', include: ['test/**/*.test.ts'], exclude: LATENCY_BOUNDED } },
      // Tests that bound a latency against a baseline they measure: they run after the others, one
      // file at a time, so that the CPU other test files use is not counted against what they measure.
      { extends: true, test: { name: 'latency', include: LATENCY_BOUNDED, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
