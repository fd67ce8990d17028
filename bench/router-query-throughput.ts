/**
 * Query throughput and latency through our router vs a plain `@apollo/gateway` +
 * `@apollo/server` (startStandaloneServer, default RemoteGraphQLDataSource) in front of the SAME
 * subgraphs: inventory (seeded with 50 products × 4 stores with stock) and the test-only forecast
 * subgraph. One query spans both (a products page, then one `_entities` fetch to forecast).
 *
 * Layout (2 cores): each gateway runs alone in its own child process (all started up front); the
 * subgraphs and autocannon share this process. Each gateway gets a warm-up, then the measured
 * runs are interleaved over rounds (plain, router, [inventory-only], plain, router, ...), so load
 * drift on a shared machine hits every target alike; ratios are given both from the means over
 * rounds and as the median of the per-round ratios (more robust on a busy machine). The CPU time
 * each process used per request is reported too, because when the subgraph side saturates first,
 * requests/s alone cannot tell the gateways apart.
 *
 *   npx tsx bench/router-query-throughput.ts            # 32 connections, 5 s warm-up, 5 rounds × 5 s each
 *   npx tsx bench/router-query-throughput.ts --quick    # 2 s warm-up, 1 round × 4 s (smoke run)
 *   Targets: 'plain', 'router' (as shipped: identical in-flight subgraph queries are shared) and
 *   'router-no-dedup' (the router with that sharing turned off, to show what the rest is worth).
 *   options: --connections N --duration S --warmup S --rounds N --no-reference (skip the
 *            inventory-only reference run) --profile (each gateway process writes .cpuprofile files
 *            to /tmp/tributary-router-profiles/<gateway>-<time>/; the main thread's is the largest;
 *            summarize with `npx tsx bench/support/cpuprofile-top.ts FILE`)
 *
 * With --canned, both gateways talk to memoizing proxies in front of the subgraphs instead (each
 * distinct subgraph request is forwarded once, then answered from memory): the subgraphs' cost
 * is taken out, the gateway is the bottleneck, and the comparison is of gateway overhead alone.
 *
 * Appends one line per run to bench/results/router-query-throughput.jsonl.
 */
import '../bin/production-mode.js';
import os from 'node:os';
import { operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import autocannon from 'autocannon';
import { parse } from 'graphql';
import { loadSupergraph } from '../router/supergraph/load-supergraph.js';
import { median, printTable, recordResult, round } from './lib.js';
import { forkChild, type ChildHandle } from './support/child-rpc.js';
import { startMemoProxy, type MemoProxy } from './support/memo-proxy.js';
import { backendLabel, hasFlag, numberOption, post, seedInventory, startSubgraphStack } from './support/router-stack.js';
import { benchKeys } from './support/bench-keys.js';

const QUICK = hasFlag('quick');
const CONNECTIONS = numberOption('connections', 32);
const DURATION_S = numberOption('duration', QUICK ? 4 : 5);
const WARMUP_S = numberOption('warmup', QUICK ? 2 : 5);
const ROUNDS = numberOption('rounds', QUICK ? 1 : 5);
const PROFILE = hasFlag('profile');
const CANNED = hasFlag('canned');
const REFERENCE = !hasFlag('no-reference') && !CANNED;
const PRODUCTS = 50;
const STORES = 4;
const PROFILE_DIR = '/tmp/tributary-router-profiles';

const QUERY = `{ products(first: 20) { edges { node { name totalAvailable stockLevels { available forecast store { name } } } } } }`;

type GatewayTarget = 'plain' | 'router' | 'router-no-dedup';
type Target = GatewayTarget | 'inventory-only';

interface Measured {
  readonly target: Target;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly non2xx: number;
  /** CPU time of the gateway process per request (µs); undefined for the subgraph reference. */
  readonly gatewayCpuUsPerRequest: number | undefined;
  /** CPU time of this process (subgraphs + autocannon) per request (µs). */
  readonly subgraphSideCpuUsPerRequest: number;
}

function cannon(url: string, body: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

const cpuTotal = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/** The subgraph operations the plan sends (for the subgraph-only reference run). */
function fetchesOf(node: PlanNode | QueryPlan['node'], out: FetchNode[] = []): FetchNode[] {
  if (!node) return out;
  if (node.kind === 'Fetch') out.push(node);
  else if (node.kind === 'Sequence' || node.kind === 'Parallel') for (const child of node.nodes) fetchesOf(child, out);
  else if (node.kind === 'Flatten') fetchesOf(node.node, out);
  return out;
}

async function measure(target: Target, url: string, body: string, round: number, gateway: ChildHandle | undefined): Promise<Measured> {
  const gatewayBefore = gateway ? await gateway.call<NodeJS.CpuUsage>('cpu') : undefined;
  const localBefore = process.cpuUsage();
  const result = await cannon(url, body, DURATION_S);
  const localCpu = cpuTotal(process.cpuUsage(localBefore));
  const gatewayCpu = gateway && gatewayBefore ? cpuTotal(await gateway.call<NodeJS.CpuUsage>('cpu')) - cpuTotal(gatewayBefore) : undefined;
  const requests = result.requests.total;
  return {
    target,
    round,
    requestsPerSecond: round2(requests / result.duration),
    requests,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    gatewayCpuUsPerRequest: gatewayCpu === undefined ? undefined : Math.round(gatewayCpu / requests),
    subgraphSideCpuUsPerRequest: Math.round(localCpu / requests),
  };
}

const round2 = (value: number) => round(value, 1);

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const stack = await startSubgraphStack();
  try {
    await seedInventory(stack.inventory.url, PRODUCTS, STORES);
    const body = JSON.stringify({ query: QUERY });
    let supergraphSdl = stack.supergraphSdl;
    const proxies: MemoProxy[] = [];
    if (CANNED) {
      for (const url of [stack.inventory.url, stack.forecast.url]) {
        const proxy = await startMemoProxy(url);
        proxies.push(proxy);
        supergraphSdl = supergraphSdl.replaceAll(`"${url}"`, `"${proxy.url}"`);
      }
    }

    // The inventory part of the plan, for a subgraph-only reference (what the subgraph side can serve).
    const loaded = loadSupergraph(stack.supergraphSdl);
    const plan = loaded.planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, parse(QUERY)));
    const inventoryFetch = fetchesOf(plan.node).find((fetch) => fetch.serviceName === 'inventory');
    if (!inventoryFetch) throw new Error('the plan has no inventory fetch');

    const results: Measured[] = [];
    const responses = new Map<Target, string>();
    const targets: GatewayTarget[] = ['plain', 'router', 'router-no-dedup'];
    // Every gateway runs in its own child for the whole run; the measured runs are interleaved
    // (plain, router, plain, router, ...) so that drift in the machine's load hits all alike.
    const gateways = new Map<GatewayTarget, { child: ChildHandle; url: string }>();
    try {
      for (const target of targets) {
        const kind = target === 'plain' ? 'plain' : 'router';
        // One folder per gateway: node writes one profile per thread (main and tsx's loader thread).
        const flags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${target}-${started}`] : [];
        const child = forkChild(new URL('./support/gateway-process.ts', import.meta.url), flags);
        gateways.set(target, { child, url: '' });
        const { url } = await child.call<{ url: string }>('start', { kind, supergraphSdl, deduplicateQueries: target !== 'router-no-dedup', keys: benchKeys });
        gateways.set(target, { child, url });
        // All must answer the same data, without errors.
        responses.set(target, JSON.stringify(await post(url, QUERY)));
        await cannon(url, body, WARMUP_S);
      }
      if (REFERENCE) await cannon(stack.inventory.url, JSON.stringify({ query: inventoryFetch.operation }), WARMUP_S);
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const target of targets) {
          const { child, url } = gateways.get(target)!;
          results.push(await measure(target, url, body, round, child));
        }
        if (REFERENCE) {
          results.push(await measure('inventory-only', stack.inventory.url, JSON.stringify({ query: inventoryFetch.operation }), round, undefined));
        }
        console.error(`round ${round} done`);
      }
    } finally {
      for (const { child } of gateways.values()) await child.stop();
    }
    for (const [target, response] of responses) if (response !== responses.get('plain')) throw new Error(`${target} and the plain gateway answered differently`);
    const edges = (JSON.parse(responses.get('router')!) as { products: { edges: unknown[] } }).products.edges.length;
    if (edges !== 20) throw new Error(`expected 20 products, got ${edges}`);

    const mean = (target: Target, pick: (row: Measured) => number) => {
      const rows = results.filter((row) => row.target === target);
      return rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
    };
    const ratios: Record<string, number> = {
      throughput: round(mean('router', (row) => row.requestsPerSecond) / mean('plain', (row) => row.requestsPerSecond), 2),
      p50: round(mean('router', (row) => row.p50Ms) / mean('plain', (row) => row.p50Ms), 2),
      p99: round(mean('router', (row) => row.p99Ms) / mean('plain', (row) => row.p99Ms), 2),
      gatewayCpuPerRequest: round(mean('router', (row) => row.gatewayCpuUsPerRequest ?? 0) / mean('plain', (row) => row.gatewayCpuUsPerRequest ?? 0), 2),
    };

    for (const proxy of proxies) await proxy.close();
    printTable(
      `query throughput${CANNED ? ' (CANNED: subgraphs behind memoizing proxies, gateway overhead only)' : ''}: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${ROUNDS} interleaved round(s) × ${DURATION_S} s, ${backendLabel().database}/${backendLabel().bus}`,
      results.map((row) => ({
        target: row.target,
        round: row.round,
        'req/s': row.requestsPerSecond,
        'p50 ms': row.p50Ms,
        'p90 ms': row.p90Ms,
        'p99 ms': row.p99Ms,
        'max ms': row.maxMs,
        'errors+non2xx': row.errors + row.non2xx,
        'gateway CPU µs/req': row.gatewayCpuUsPerRequest ?? '-',
        'subgraphs+load CPU µs/req': row.subgraphSideCpuUsPerRequest,
      })),
    );
    const perRound = (target: Target, pick: (row: Measured) => number) =>
      Array.from({ length: ROUNDS }, (_, index) => {
        const of = (name: Target) => results.find((row) => row.target === name && row.round === index + 1)!;
        return round(pick(of(target)) / pick(of('plain')), 2);
      });
    const rps = (row: Measured) => row.requestsPerSecond;
    const cpu = (row: Measured) => row.gatewayCpuUsPerRequest ?? Number.NaN;
    const compared: Target[] = ['router', 'router-no-dedup'];
    const roundRatios = Object.fromEntries(compared.map((target) => [target, { throughput: perRound(target, rps), gatewayCpuPerRequest: perRound(target, cpu) }]));
    const medianRatios = Object.fromEntries(
      compared.map((target) => [target, { throughput: median(roundRatios[target]!.throughput), gatewayCpuPerRequest: median(roundRatios[target]!.gatewayCpuPerRequest) }]),
    );
    ratios.noDedupThroughput = round(mean('router-no-dedup', (row) => row.requestsPerSecond) / mean('plain', (row) => row.requestsPerSecond), 2);
    ratios.noDedupGatewayCpuPerRequest = round(mean('router-no-dedup', (row) => row.gatewayCpuUsPerRequest ?? 0) / mean('plain', (row) => row.gatewayCpuUsPerRequest ?? 0), 2);
    console.log(`\nrouter-no-dedup / plain gateway: throughput ${ratios.noDedupThroughput}×, gateway CPU per request ${ratios.noDedupGatewayCpuPerRequest}×`);
    console.log(
      `\nrouter / plain gateway: throughput ${ratios.throughput}× (target ≥ 1.5×), p50 ${ratios.p50}×, p99 ${ratios.p99}× (lower is better), gateway CPU per request ${ratios.gatewayCpuPerRequest}×`,
    );
    console.log(`ratios to plain per round: ${JSON.stringify(roundRatios)}`);
    console.log(`median of per-round ratios: ${JSON.stringify(medianRatios)}`);
    if (PROFILE) console.log(`CPU profiles in ${PROFILE_DIR}`);

    const file = await recordResult('router-query-throughput', {
      quick: QUICK,
      subgraphs: CANNED ? 'memoizing proxies (subgraph cost removed)' : 'real inventory + forecast',
      proxyForwards: CANNED ? proxies.map((proxy) => ({ forwarded: proxy.forwarded(), served: proxy.served() })) : undefined,
      backend: backendLabel(),
      query: QUERY,
      seed: { products: PRODUCTS, stores: STORES },
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      profiled: PROFILE,
      targets: { router: 'as shipped', 'router-no-dedup': 'router with deduplicateQueries: false' },
      results,
      ratios,
      ratiosPerRound: roundRatios,
      medianRatios,
      loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: os.loadavg().map((value) => round(value, 2)) },
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`appended to ${file}`);
  } finally {
    await stack.close();
  }
}

await main();
