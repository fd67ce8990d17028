/**
 * Router memory per idle subscription, at 10,000 subscriptions: (a) distinct (different variables,
 * so 10,000 upstream subscriptions and plans) and (b) identical (one shared upstream).
 *
 * Layout: the router runs alone in a child process (bench/support/gateway-process.ts, started
 * with --expose-gc) so neither the subgraphs nor the clients count; the inventory and forecast
 * subgraphs run in this process; the 10,000 graphql-ws subscriptions live in a second child
 * (bench/support/ws-clients-process.ts) on 100 sockets. Each variant gets a fresh router process:
 *
 *   warm-up (a few subscriptions opened and closed) → memory M0
 *   100 sockets connected, no subscriptions      → memory M1   (per-socket cost = (M1 − M0) / 100)
 *   10,000 subscriptions open and idle            → memory M2   (per subscription = (M2 − M1) / 10,000)
 *   all unsubscribed                              → memory M3   (what is not given back)
 *
 * Each reading is process.memoryUsage() after four forced GCs. heapUsed is the precise number;
 * RSS is what the OS sees (the allocator keeps freed pages, so RSS rarely goes back down).
 *
 *   npx tsx bench/router-subscription-memory.ts            # 10,000 subscriptions, 100 sockets
 *   npx tsx bench/router-subscription-memory.ts --quick    # 1,000 subscriptions, 20 sockets
 *   options: --subscriptions N --sockets N --heap-snapshots (router heap before subscribing, after
 *            subscribing and after closing, to /tmp/tributary-router-heap; compare with
 *            `npx tsx bench/support/heap-diff.ts A B`)
 *
 * Appends one line per run to bench/results/router-subscription-memory.jsonl.
 */
import '../bin/production-mode.js';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { printTable, recordResult, round } from './lib.js';
import { forkChild } from './support/child-rpc.js';
import { backendLabel, hasFlag, numberOption, startSubgraphStack, until, type SubgraphStack } from './support/router-stack.js';
import type { SubscriptionStats } from '../router/subscriptions/subscription-engine.js';
import { benchKeys } from './support/bench-keys.js';

const QUICK = hasFlag('quick');
const SUBSCRIPTIONS = numberOption('subscriptions', QUICK ? 1000 : 10_000);
const SOCKETS = numberOption('sockets', QUICK ? 20 : 100);
const TARGET_BYTES = 15 * 1024;
/** With --heap-snapshots, the router's heap is written before and after subscribing (for bench/support/heap-diff.ts). */
const SNAPSHOT_DIR = hasFlag('heap-snapshots') ? '/tmp/tributary-router-heap' : undefined;

const QUERY = `subscription Stock($productId: ID!, $storeId: ID!) { stockLevelChanged(productId: $productId, storeId: $storeId) { position available forecast } }`;

type Variant = 'distinct' | 'identical';

interface Reading {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

interface VariantResult {
  readonly variant: Variant;
  readonly subscriptions: number;
  readonly sockets: number;
  readonly upstreams: number;
  /** Seconds from the first subscribe to all of them being open on the router and the subgraph. */
  readonly subscribeSeconds: number;
  readonly readings: { afterWarmup: Reading; socketsOpen: Reading; subscribed: Reading; unsubscribed: Reading };
  readonly bytesPerSubscription: { heapUsed: number; rss: number; external: number };
  readonly bytesPerSocket: { heapUsed: number; rss: number };
  /** heapUsed still held after every subscription closed, per subscription (leak indicator). */
  readonly heapRetainedPerSubscription: number;
}

const subtract = (a: Reading, b: Reading, key: keyof Reading, count: number) => Math.round((a[key] - b[key]) / count);

async function runVariant(stack: SubgraphStack, variant: Variant): Promise<VariantResult> {
  const router = forkChild(new URL('./support/gateway-process.ts', import.meta.url), ['--expose-gc']);
  const clients = forkChild(new URL('./support/ws-clients-process.ts', import.meta.url));
  try {
    const { wsUrl } = await router.call<{ wsUrl: string }>('start', { kind: 'router', supergraphSdl: stack.supergraphSdl, keys: benchKeys });
    const stats = () => router.call<SubscriptionStats>('stats');
    /** Waits until the router holds no client and no upstream subscription. */
    const untilAllClosed = (timeoutMs: number, what: string) =>
      until(
        async () => {
          const current = await stats();
          return current.clients === 0 && current.upstreams === 0;
        },
        timeoutMs,
        what,
      );
    const memory = () => router.call<Reading>('memory');
    const variablesFor = (index: number) => ({ productId: variant === 'distinct' ? `mem-product-${index}` : 'mem-product', storeId: 'mem-store' });

    // Warm-up: plan, share, enrich paths loaded; upstream socket opened once.
    await clients.call('connect', { url: wsUrl, sockets: 2 });
    const liveAtWarmup = stack.liveOpened();
    await clients.call('subscribe', { subscriptions: Array.from({ length: 20 }, (_, index) => ({ query: QUERY, variables: variablesFor(index) })) });
    await until(
      async () => (await stats()).clients === 20 && stack.liveOpened() - liveAtWarmup >= (variant === 'distinct' ? 20 : 1),
      30_000,
      'warm-up subscriptions',
    );
    await clients.call('disconnect');
    await untilAllClosed(30_000, 'warm-up subscriptions closed');
    const afterWarmup = await memory();

    await clients.call('connect', { url: wsUrl, sockets: SOCKETS });
    const socketsOpen = await memory();
    if (SNAPSHOT_DIR) await router.call('heapSnapshot', { path: `${SNAPSHOT_DIR}/${variant}-before.heapsnapshot` }, 300_000);

    const liveBefore = stack.liveOpened();
    const upstreams = variant === 'distinct' ? SUBSCRIPTIONS : 1;
    const subscribeStarted = performance.now();
    await clients.call('subscribe', {
      subscriptions: Array.from({ length: SUBSCRIPTIONS }, (_, index) => ({ query: QUERY, variables: variablesFor(index) })),
    });
    try {
      await until(async () => (await stats()).clients === SUBSCRIPTIONS, 170_000, `${SUBSCRIPTIONS} router clients`);
      await until(() => stack.liveOpened() - liveBefore >= upstreams, 170_000, `${upstreams} upstream subscriptions listening`);
    } catch (error) {
      const detail = { router: await stats(), clients: await clients.call('status'), upstreamsListening: stack.liveOpened() - liveBefore };
      throw new Error(`${(error as Error).message}: ${JSON.stringify(detail)}`, { cause: error });
    }
    const subscribeSeconds = round((performance.now() - subscribeStarted) / 1000, 1);
    const engineStats = await stats();
    if (engineStats.upstreams !== upstreams) throw new Error(`expected ${upstreams} upstreams, the router has ${engineStats.upstreams}`);
    const status = await clients.call<{ errorCount: number; errors: string[] }>('status');
    if (status.errorCount > 0) throw new Error(`subscription errors: ${status.errors.join('; ')}`);
    // Idle for a moment (keep-alives, lazy timers), then measure.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const subscribed = await memory();
    if (SNAPSHOT_DIR) await router.call('heapSnapshot', { path: `${SNAPSHOT_DIR}/${variant}-after.heapsnapshot` }, 300_000);

    await clients.call('unsubscribe');
    await untilAllClosed(120_000, 'subscriptions closed');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const unsubscribed = await memory();
    if (SNAPSHOT_DIR) await router.call('heapSnapshot', { path: `${SNAPSHOT_DIR}/${variant}-closed.heapsnapshot` }, 300_000);

    return {
      variant,
      subscriptions: SUBSCRIPTIONS,
      sockets: SOCKETS,
      upstreams,
      subscribeSeconds,
      readings: { afterWarmup, socketsOpen, subscribed, unsubscribed },
      bytesPerSubscription: {
        heapUsed: subtract(subscribed, socketsOpen, 'heapUsed', SUBSCRIPTIONS),
        rss: subtract(subscribed, socketsOpen, 'rss', SUBSCRIPTIONS),
        external: subtract(subscribed, socketsOpen, 'external', SUBSCRIPTIONS),
      },
      bytesPerSocket: { heapUsed: subtract(socketsOpen, afterWarmup, 'heapUsed', SOCKETS), rss: subtract(socketsOpen, afterWarmup, 'rss', SOCKETS) },
      heapRetainedPerSubscription: subtract(unsubscribed, socketsOpen, 'heapUsed', SUBSCRIPTIONS),
    };
  } finally {
    await clients.stop();
    await router.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  if (SNAPSHOT_DIR) mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const stack = await startSubgraphStack();
  try {
    const results: VariantResult[] = [];
    for (const variant of ['distinct', 'identical'] as const) {
      results.push(await runVariant(stack, variant));
      console.error(`${variant} done`);
    }
    const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
    printTable(
      `router memory per idle subscription (${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions on ${SOCKETS} sockets; router alone in a child process, after GC)`,
      results.map((row) => ({
        variant: row.variant,
        upstreams: row.upstreams,
        'subscribe s': row.subscribeSeconds,
        'heap MB (sockets→subscribed)': `${mb(row.readings.socketsOpen.heapUsed)} → ${mb(row.readings.subscribed.heapUsed)}`,
        'RSS MB': `${mb(row.readings.socketsOpen.rss)} → ${mb(row.readings.subscribed.rss)}`,
        'heap B/sub': row.bytesPerSubscription.heapUsed,
        'RSS B/sub': row.bytesPerSubscription.rss,
        'external B/sub': row.bytesPerSubscription.external,
        'heap B/socket': row.bytesPerSocket.heapUsed,
        'heap kept B/sub after close': row.heapRetainedPerSubscription,
      })),
    );
    for (const row of results) {
      const worst = Math.max(row.bytesPerSubscription.heapUsed, row.bytesPerSubscription.rss);
      console.log(
        `${row.variant}: ${(worst / 1024).toFixed(1)} KB per subscription (larger of heap and RSS) — ${worst <= TARGET_BYTES ? 'meets' : 'misses'} ≤ 15 KB`,
      );
    }
    const file = await recordResult('router-subscription-memory', {
      quick: QUICK,
      router: 'as shipped',
      backend: backendLabel(),
      subscription: QUERY,
      subscriptions: SUBSCRIPTIONS,
      sockets: SOCKETS,
      targetBytes: TARGET_BYTES,
      // Snapshot writing inflates RSS: RSS figures of such runs are not comparable.
      heapSnapshots: Boolean(SNAPSHOT_DIR),
      results,
      loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: os.loadavg().map((value) => round(value, 2)) },
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`appended to ${file}`);
  } finally {
    await stack.close();
  }
}

await main();
