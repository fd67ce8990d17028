/**
 * What the router's plugins cost: the same router in three configurations, each in its own child
 * process in front of the same subgraphs, on the same distinct requests, measured interleaved
 * over rounds:
 *   - signing: only the subgraph signature (what subgraphs require), the baseline;
 *   - auth: plus authentication (a valid token, verified and cached) and authorization (a field
 *     with a scope requirement is selected and granted);
 *   - all: every built-in plugin as `npm start` runs them (CORS, authentication, rate limits in
 *     memory set too high to refuse, operation limits, introspection, authorization, demand
 *     control, signing).
 * The subgraphs sit behind memoizing proxies by default, so the router is the bottleneck and the
 * comparison is of the router's own work; `--live` uses the subgraphs themselves.
 *
 *   npx tsx bench/router-plugin-overhead.ts [--live] [--rounds N] [--duration S] [--connections N] [--profile]
 *   (--profile: .cpuprofile files per target under /tmp/tributary-router-profiles/plugins-<target>-<time>/)
 *   Targets: auth ≤ 10 % against signing, and all (limits, cost, rate limits on top of auth) ≤ 5 %
 *   against auth, in throughput and router CPU per request, measured in the same run.
 *
 * Appends one line per run to bench/results/router-plugin-overhead.jsonl.
 */
import '../bin/production-mode.js';
import os from 'node:os';
import { median, printTable, recordResult, round } from './lib.js';
import { benchKeys, benchToken, routerSignedHeaders, type BenchPlugins } from './support/bench-keys.js';
import { forkChild, type ChildHandle } from './support/child-rpc.js';
import { startFederationStack } from './support/federation-stack.js';
import { startMemoProxy, type MemoProxy } from './support/memo-proxy.js';
import { distinctBodies, productCursors, runLoad } from './support/request-mix.js';
import { backendLabel, hasFlag, numberOption } from './support/router-stack.js';

const LIVE = hasFlag('live');
const CONNECTIONS = numberOption('connections', 32);
const DURATION_S = numberOption('duration', 5);
const WARMUP_S = numberOption('warmup', 4);
const ROUNDS = numberOption('rounds', 5);
const TARGETS: BenchPlugins[] = ['signing', 'auth', 'all'];
const PROFILE = hasFlag('profile');
const PROFILE_DIR = '/tmp/tributary-router-profiles';

interface Row {
  readonly target: BenchPlugins;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly routerCpuUsPerRequest: number;
}

const cpuTotal = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const stack = await startFederationStack();
  const proxies: MemoProxy[] = [];
  try {
    let supergraphSdl = stack.supergraphSdl;
    if (!LIVE) {
      for (const subgraph of stack.subgraphs) {
        const proxy = await startMemoProxy(subgraph.url);
        proxies.push(proxy);
        supergraphSdl = supergraphSdl.replaceAll(`"${subgraph.url}"`, `"${proxy.url}"`);
      }
    }
    const bodies = distinctBodies(stack.world, await productCursors(stack.url('inventory'), stack.world.products, await routerSignedHeaders()));
    const headers = { authorization: `Bearer ${await benchToken()}` };
    const children = new Map<BenchPlugins, { child: ChildHandle; url: string }>();
    const rows: Row[] = [];
    try {
      for (const target of TARGETS) {
        const flags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/plugins-${target}-${started}`] : [];
        const child = forkChild(new URL('./support/gateway-process.ts', import.meta.url), flags);
        const { url } = await child.call<{ url: string }>('start', { kind: 'router', supergraphSdl, keys: benchKeys, plugins: target });
        children.set(target, { child, url });
        // Every distinct request once (filling the proxies), then a warm-up.
        for (const body of bodies) {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
          const parsed = (await response.json()) as { errors?: unknown };
          if (parsed.errors) throw new Error(`${target}: ${JSON.stringify(parsed.errors)}`);
        }
        await runLoad({ url, bodies, connections: CONNECTIONS, seconds: WARMUP_S, headers });
      }
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const target of TARGETS) {
          const { child, url } = children.get(target)!;
          const before = await child.call<NodeJS.CpuUsage>('cpu');
          const result = await runLoad({ url, bodies, connections: CONNECTIONS, seconds: DURATION_S, headers });
          const cpu = cpuTotal(await child.call<NodeJS.CpuUsage>('cpu')) - cpuTotal(before);
          rows.push({
            target,
            round,
            requestsPerSecond: round1(result.requests.total / result.duration),
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            errors: result.errors + result.non2xx,
            routerCpuUsPerRequest: Math.round(cpu / result.requests.total),
          });
        }
        console.error(`round ${round} done`);
      }
    } finally {
      for (const { child } of children.values()) await child.stop();
    }
    const perRound = (target: BenchPlugins, baseline: BenchPlugins, pick: (row: Row) => number) =>
      Array.from({ length: ROUNDS }, (_, index) => {
        const of = (name: BenchPlugins) => rows.find((row) => row.target === name && row.round === index + 1)!;
        return pick(of(target)) / pick(of(baseline));
      });
    // auth against signing (what identity costs), all against auth (what limits, cost and rate limits add).
    const comparisons = [
      ['auth', 'signing'],
      ['all', 'auth'],
      ['all', 'signing'],
    ] as const;
    const overhead = Object.fromEntries(
      comparisons.map(([target, baseline]) => [
        `${target} vs ${baseline}`,
        {
          throughputLoss: round(1 - median(perRound(target, baseline, (row) => row.requestsPerSecond)), 3),
          cpuPerRequestGrowth: round(median(perRound(target, baseline, (row) => row.routerCpuUsPerRequest)) - 1, 3),
        },
      ]),
    );
    printTable(
      `router plugin overhead (${LIVE ? 'live subgraphs' : 'subgraphs behind memoizing proxies: the router is the bottleneck'}): ${bodies.length} distinct requests, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION_S} s`,
      rows.map((row) => ({
        target: row.target,
        round: row.round,
        'req/s': row.requestsPerSecond,
        'p50 ms': row.p50Ms,
        'p99 ms': row.p99Ms,
        errors: row.errors,
        'router CPU µs/req': row.routerCpuUsPerRequest,
      })),
    );
    printTable(
      'overhead, median of per-round ratios (targets: auth vs signing ≤ 10 %, all vs auth ≤ 5 %)',
      Object.entries(overhead).map(([comparison, value]) => ({
        comparison,
        'throughput loss %': round(value.throughputLoss * 100, 1),
        'CPU/req growth %': round(value.cpuPerRequestGrowth * 100, 1),
      })),
    );
    const file = await recordResult('router-plugin-overhead', {
      mode: LIVE ? 'live' : 'memoized subgraphs',
      backend: backendLabel(),
      world: stack.world,
      distinctRequests: bodies.length,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      rows,
      overhead,
      loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: os.loadavg().map((value) => round(value, 2)) },
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`appended to ${file}`);
  } finally {
    for (const proxy of proxies) await proxy.close();
    await stack.close();
  }
}

const round1 = (value: number) => round(value, 1);

await main();
