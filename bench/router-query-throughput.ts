/**
 * Query throughput of three gateways in front of the same three subgraphs (history, inventory,
 * tracking, on one seeded database): this router as `npm start` runs it (every built-in plugin:
 * a client token verified, authorization, limits, demand control, rate limits, subgraph signing),
 * plain `@apollo/gateway` + `@apollo/server` (startStandaloneServer, default data sources) and
 * Hive Gateway (`createGatewayRuntime` on node:http). Each gateway runs in its own child process,
 * the load generator (autocannon) in another, and the subgraphs in this one. The peers load the
 * same supergraph without the directives only this router enforces, and send the router signature
 * the subgraphs require as one fixed header (less work than the router's per-request token).
 *
 * Requests (bench/support/request-mix.ts): queries spanning the three subgraphs (a campaign with
 * its stats, product, stock per store and best creative's score; product pages with their
 * campaigns and generated descriptions).
 *   - distinct (the headline): 130 different bodies taken round-robin, so two identical requests
 *     are almost never in flight at once, and no two pages hold the same products: no gateway can
 *     share one answer, or one subgraph call, between callers;
 *   - identical (second row): one constant body, where the router's sharing of identical
 *     in-flight subgraph queries acts as a cache.
 * Subgraphs:
 *   - live (the headline): the subgraphs themselves, which share the two cores with the gateway;
 *   - memoized (`--memoized`, second row): each gateway talks to memoizing proxies in front of the
 *     subgraphs (each distinct subgraph request is answered from memory after the first), which
 *     takes the subgraphs' cost out: the gateway is the bottleneck, for every gateway alike.
 * Every measured run is interleaved over rounds (router, plain, hive, router, ...) so drift in the
 * machine's load hits all alike; the ratios are the medians of the per-round ratios. CPU time per
 * request is reported for each gateway process, for this process (the subgraphs), for the load
 * generator's and for PostgreSQL (its processes, from /proc).
 *
 *   npx tsx bench/router-query-throughput.ts [--memoized] [--modes distinct,identical]
 *       [--rounds 5] [--duration 5] [--warmup 4] [--connections 32] [--profile] [--gateways router,plain,hive]
 *   Targets (distinct, live subgraphs): router ≥ 1.5× plain and ≥ 1.25× Hive in req/s, at equal or
 *   better p99.
 *   --profile writes .cpuprofile files per gateway to /tmp/tributary-router-profiles/<gateway>-<time>/
 *   (summarize with `npx tsx bench/support/cpuprofile-top.ts FILE`).
 *
 * Appends one line per run to bench/results/router-query-throughput.jsonl.
 */
import '../bin/production-mode.js';
import os from 'node:os';
import { median, printTable, recordResult, round } from './lib.js';
import { benchKeys, benchToken, routerSignedHeaders } from './support/bench-keys.js';
import { forkChild, type ChildHandle } from './support/child-rpc.js';
import { cpuBetween, readCpu, type CpuGroups } from './support/process-cpu.js';
import { startFederationStack } from './support/federation-stack.js';
import { startMemoProxy, type MemoProxy } from './support/memo-proxy.js';
import type { LoadSummary } from './support/load-process.js';
import { distinctBodies, productCursors, identicalBody, type LoadOptions } from './support/request-mix.js';
import { backendLabel, hasFlag, numberOption, option } from './support/router-stack.js';

const CONNECTIONS = numberOption('connections', 32);
const DURATION_S = numberOption('duration', 5);
const WARMUP_S = numberOption('warmup', 4);
const ROUNDS = numberOption('rounds', 5);
const PROFILE = hasFlag('profile');
const MEMOIZED = hasFlag('memoized');
const MODES = (option('modes') ?? 'distinct,identical').split(',') as Mode[];
const PROFILE_DIR = '/tmp/tributary-router-profiles';

type Gateway = 'router' | 'plain' | 'hive';
type Mode = 'distinct' | 'identical';
const ALL_GATEWAYS: readonly Gateway[] = ['router', 'plain', 'hive'];
/** `--gateways router` runs fewer (to profile one); the ratios need the router and a peer. */
const GATEWAYS = (option('gateways') ?? ALL_GATEWAYS.join(',')).split(',') as Gateway[];
if (!GATEWAYS.includes('router') || GATEWAYS.some((gateway) => !ALL_GATEWAYS.includes(gateway)))
  throw new Error(`--gateways names the router and any of ${ALL_GATEWAYS.join(', ')}`);

interface Row {
  readonly mode: Mode;
  readonly gateway: Gateway;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly gatewayCpuUsPerRequest: number;
  /** CPU µs per request of this process: the three subgraphs. */
  readonly subgraphsCpuUsPerRequest: number;
  /** CPU µs per request of the load generator's process. */
  readonly loadCpuUsPerRequest: number;
  /** CPU µs per request of every PostgreSQL process. */
  readonly postgresCpuUsPerRequest: number;
}

/** This process (the subgraphs), the load generator's and PostgreSQL's, read from /proc. */
const cpuGroups = (load: ChildHandle): CpuGroups => ({ subgraphs: { pids: [process.pid] }, load: { pids: [load.pid] }, postgres: { named: 'postgres' } });

/** Runs the load from the load generator's process. */
const runLoad = (load: ChildHandle, options: LoadOptions) => load.call<LoadSummary>('run', options, (options.seconds + 60) * 1000);

const cpuTotal = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

async function measure(
  mode: Mode,
  gateway: Gateway,
  round: number,
  child: ChildHandle,
  load: ChildHandle,
  url: string,
  bodies: readonly string[],
  headers: Record<string, string>,
): Promise<Row> {
  const groups = cpuGroups(load);
  const before = cpuTotal(await child.call<NodeJS.CpuUsage>('cpu'));
  const othersBefore = readCpu(groups);
  const result = await runLoad(load, { url, bodies, connections: CONNECTIONS, seconds: DURATION_S, headers });
  const others = cpuBetween(othersBefore, readCpu(groups));
  const cpu = cpuTotal(await child.call<NodeJS.CpuUsage>('cpu')) - before;
  const requests = result.requests;
  const perRequestUs = (ms: number | undefined) => Math.round(((ms ?? 0) * 1000) / Math.max(1, requests));
  return {
    mode,
    gateway,
    round,
    requestsPerSecond: round1(requests / result.durationSeconds),
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors,
    gatewayCpuUsPerRequest: Math.round(cpu / Math.max(1, requests)),
    subgraphsCpuUsPerRequest: perRequestUs(others.subgraphs),
    loadCpuUsPerRequest: perRequestUs(others.load),
    postgresCpuUsPerRequest: perRequestUs(others.postgres),
  };
}

const round1 = (value: number) => round(value, 1);

/** The data of each body from one gateway, for comparing the gateways' answers. */
async function answers(url: string, bodies: readonly string[], headers: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const body of bodies) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const parsed = (await response.json()) as { data?: unknown; errors?: unknown };
    if (parsed.errors || !parsed.data) throw new Error(`${url}: ${JSON.stringify(parsed.errors)}`);
    out.push(JSON.stringify(parsed.data));
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const stack = await startFederationStack();
  const proxies: MemoProxy[] = [];
  const children = new Map<Gateway, { child: ChildHandle; url: string }>();
  const load = forkChild(new URL('./support/load-process.ts', import.meta.url));
  try {
    let routerSdl = stack.supergraphSdl;
    let peerSdl = stack.peerSupergraphSdl;
    if (MEMOIZED) {
      for (const subgraph of stack.subgraphs) {
        const proxy = await startMemoProxy(subgraph.url);
        proxies.push(proxy);
        routerSdl = routerSdl.replaceAll(`"${subgraph.url}"`, `"${proxy.url}"`);
        peerSdl = peerSdl.replaceAll(`"${subgraph.url}"`, `"${proxy.url}"`);
      }
    }
    const bodiesOf: Record<Mode, readonly string[]> = {
      distinct: distinctBodies(stack.world, await productCursors(stack.url('inventory'), stack.world.products, await routerSignedHeaders())),
      identical: [identicalBody()],
    };
    const clientHeaders = { authorization: `Bearer ${await benchToken()}` };
    // One token for the whole run: the peers send it as a fixed header.
    const subgraphHeaders = await routerSignedHeaders(6 * 3600);
    for (const gateway of GATEWAYS) {
      const flags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${gateway}-${started}`] : [];
      const child = forkChild(new URL('./support/gateway-process.ts', import.meta.url), flags);
      const { url } = await child.call<{ url: string }>(
        'start',
        gateway === 'router'
          ? { kind: 'router', supergraphSdl: routerSdl, keys: benchKeys, plugins: 'all' }
          : { kind: gateway, supergraphSdl: peerSdl, keys: benchKeys, subgraphHeaders },
      );
      children.set(gateway, { child, url });
    }
    // The gateways must answer every request alike, without errors.
    const reference = await answers(children.get('router')!.url, bodiesOf.distinct, clientHeaders);
    for (const gateway of GATEWAYS.slice(1)) {
      const theirs = await answers(children.get(gateway)!.url, bodiesOf.distinct, clientHeaders);
      const differing = theirs.findIndex((answer, index) => answer !== reference[index]);
      if (differing >= 0)
        throw new Error(`${gateway} answered ${bodiesOf.distinct[differing]} differently:\n${theirs[differing]}\nrouter:\n${reference[differing]}`);
    }
    for (const gateway of GATEWAYS) {
      for (const mode of MODES)
        await runLoad(load, { url: children.get(gateway)!.url, bodies: bodiesOf[mode], connections: CONNECTIONS, seconds: WARMUP_S, headers: clientHeaders });
    }

    const rows: Row[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const mode of MODES) {
        // The order rotates each round, so no gateway always runs right after another.
        const order = GATEWAYS.map((_, index) => GATEWAYS[(index + round) % GATEWAYS.length]!);
        for (const gateway of order) {
          const { child, url } = children.get(gateway)!;
          rows.push(await measure(mode, gateway, round, child, load, url, bodiesOf[mode], clientHeaders));
        }
      }
      console.error(`round ${round} of ${ROUNDS} done`);
    }

    const label = backendLabel();
    printTable(
      `query throughput, ${MEMOIZED ? 'memoized subgraphs (gateway overhead only)' : 'live subgraphs'}: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION_S} s, ${label.database}/${label.bus}`,
      rows.map((row) => ({
        mode: row.mode,
        gateway: row.gateway,
        round: row.round,
        'req/s': row.requestsPerSecond,
        'p50 ms': row.p50Ms,
        'p99 ms': row.p99Ms,
        errors: row.errors,
        'gateway CPU µs/req': row.gatewayCpuUsPerRequest,
        'subgraphs CPU µs/req': row.subgraphsCpuUsPerRequest,
        'load CPU µs/req': row.loadCpuUsPerRequest,
        'PostgreSQL CPU µs/req': row.postgresCpuUsPerRequest,
      })),
    );
    const of = (mode: Mode, gateway: Gateway, round: number) => rows.find((row) => row.mode === mode && row.gateway === gateway && row.round === round)!;
    const perRound = (mode: Mode, peer: Gateway, pick: (row: Row) => number) =>
      Array.from({ length: ROUNDS }, (_, index) => round(pick(of(mode, 'router', index + 1)) / pick(of(mode, peer, index + 1)), 2));
    const summary = MODES.flatMap((mode) =>
      GATEWAYS.filter((gateway) => gateway !== 'router').map((peer) => ({
        mode,
        peer,
        throughput: median(perRound(mode, peer, (row) => row.requestsPerSecond)),
        p99: median(perRound(mode, peer, (row) => row.p99Ms)),
        gatewayCpuPerRequest: median(perRound(mode, peer, (row) => row.gatewayCpuUsPerRequest)),
        throughputPerRound: perRound(mode, peer, (row) => row.requestsPerSecond),
      })),
    );
    printTable(
      'router / peer, median of per-round ratios (throughput: higher is better; p99 and CPU: lower is better)',
      summary.map((entry) => ({
        mode: entry.mode,
        peer: entry.peer,
        'req/s ×': entry.throughput,
        'p99 ×': entry.p99,
        'CPU/req ×': entry.gatewayCpuPerRequest,
        'req/s × per round': entry.throughputPerRound.join(' '),
      })),
    );
    if (PROFILE) console.log(`CPU profiles in ${PROFILE_DIR}`);
    const file = await recordResult('router-query-throughput', {
      subgraphs: MEMOIZED ? 'memoized proxies' : 'live',
      gateways: GATEWAYS,
      proxyForwards: MEMOIZED ? proxies.map((proxy) => ({ forwarded: proxy.forwarded(), served: proxy.served() })) : undefined,
      backend: label,
      world: stack.world,
      distinctBodies: bodiesOf.distinct.length,
      modes: MODES,
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      profiled: PROFILE,
      rows,
      summary,
      loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: os.loadavg().map((value) => round(value, 2)) },
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`appended to ${file}`);
  } finally {
    for (const { child } of children.values()) await child.stop();
    await load.stop();
    for (const proxy of proxies) await proxy.close();
    await stack.close();
  }
}

await main();
