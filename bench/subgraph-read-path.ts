/**
 * What the GraphQL layer costs on the read path: the inventory subgraph alone, serving the products
 * page (20 products with their stock per store), against a minimal hand-written endpoint
 * (bench/support/products-endpoint.ts: node:http + pg.Pool, a page query and one
 * `product_id = ANY($1)` stock query per request) that answers the same JSON from the same
 * read-model tables of the same database.
 *
 * How:
 *   - startFederationStack (bench/support/federation-stack.ts) seeds a fresh PostgreSQL database
 *     through the subgraphs (products with stock in every store; no campaigns, this reads no
 *     tracking data); then its in-process subgraphs and platform are closed, so that nothing but
 *     the two servers below touches the database while they are measured.
 *   - The subgraph (inventory only, its own platform, verifying the router signature as deployed;
 *     its publisher and reservation expirer poll too, a few small queries a second) and the
 *     endpoint each run in their own child process (bench/support/read-path-process.ts):
 *     each has its own event loop, and CPU time per request is read from each. The load generator
 *     (autocannon, 16 connections) runs here, and so does the CPU reading of the PostgreSQL
 *     backends connected to the benchmark's database (pg_stat_activity, then /proc through
 *     bench/support/process-cpu.ts: 10 ms ticks per backend, so a rough figure).
 *   - Requests are POSTed straight to the subgraph, signed as the router (one fixed token, as the
 *     peers of router-query-throughput send it: the subgraph verifies it once and caches it); the
 *     endpoint gets the same bytes. Bodies vary page size (20 or 17), cursor (pages starting every
 *     7th product) and search (none, name substring, SKU prefix), taken round-robin from more
 *     bodies than connections, so consecutive requests differ and no cache helps either side.
 *   - At start-up every body is sent to both sides and the answers must be equal (after sorting
 *     object keys), or the run fails.
 *   - After a warm-up of each side, rounds are interleaved (subgraph, endpoint, then endpoint,
 *     subgraph, ...: the first side alternates so neither always follows the other), and the ratios
 *     are medians of the per-round ratios subgraph / endpoint.
 *   - `--profile` then loads the subgraph for one more round (not counted) under the V8 profiler
 *     and writes its .cpuprofile (only that load: no start-up, no idle) to
 *     /tmp/tributary-subgraph-profiles/, and prints its top self-time entries
 *     (bench/support/cpuprofile-top.ts).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/subgraph-read-path.ts
 *       [--rounds 5] [--duration 5] [--warmup 2] [--connections 16] [--products 200] [--stores 4] [--profile]
 *   Needs PostgreSQL (the endpoint is a pg client); without DATABASE_URL it says so and skips.
 *   Target: subgraph ≥ 50 % of the hand-written endpoint's requests/s (median per-round ratio ≥ 0.5).
 *
 * Appends one line per run to bench/results/subgraph-read-path.jsonl.
 */
import '../bin/production-mode.js';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from '../subgraphs/shared/database/sql.js';
import { median, printTable, recordResult, round } from './lib.js';
import { benchKeys, routerSignedHeaders } from './support/bench-keys.js';
import { forkChild, type ChildHandle } from './support/child-rpc.js';
import { startFederationStack, type FederationStack } from './support/federation-stack.js';
import { cpuBetween, readCpu } from './support/process-cpu.js';
import type { ReadPathStart } from './support/read-path-process.js';
import { runLoad } from './support/request-mix.js';
import { backendLabel, hasFlag, numberOption } from './support/router-stack.js';

const CONNECTIONS = numberOption('connections', 16);
const DURATION_S = numberOption('duration', 5);
const WARMUP_S = numberOption('warmup', 2);
const ROUNDS = numberOption('rounds', 5);
const PRODUCTS = numberOption('products', 200);
const STORES = numberOption('stores', 4);
const PROFILE = hasFlag('profile');
const PROFILE_DIR = '/tmp/tributary-subgraph-profiles';
/** The target: the subgraph serves at least this share of the endpoint's requests/s. */
const TARGET_RATIO = 0.5;

type Side = 'subgraph' | 'endpoint';
const SIDES: readonly Side[] = ['subgraph', 'endpoint'];

/** The products page: every field the endpoint also answers, and nothing else. */
const PRODUCTS_PAGE_QUERY = `query ProductsPage($first: Int!, $after: String, $search: String) {
  products(first: $first, after: $after, search: $search) {
    edges { node { id sku name totalAvailable stockLevels { id storeId total reserved available isLow } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** Only to learn every product's cursor, per search, for the bodies' `after`. */
const CURSORS_QUERY = `query Cursors($search: String, $after: String) {
  products(first: 500, after: $after, search: $search) { edges { cursor } pageInfo { endCursor hasNextPage } }
}`;

/** No search, a name substring (case-insensitive, as the subgraph matches names) and a SKU prefix. */
const SEARCHES: ReadonlyArray<string | null> = [null, 'Product 1', 'product 2', 'BENCH-1'];
const PAGE_SIZES = [20, 17];
/** A page starts at every 7th product of each search's list, so pages overlap but differ. */
const CURSOR_STRIDE = 7;

interface Row {
  readonly side: Side;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** CPU time of the side's process per request. */
  readonly cpuMsPerRequest: number;
  /** CPU time of the PostgreSQL backends of the benchmark's database per request. */
  readonly postgresCpuMsPerRequest: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `value` with every object's keys sorted, so two answers compare whatever their key order. */
function normalised(value: Json): Json {
  if (Array.isArray(value)) return value.map(normalised);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, normalised(value[key]!)]),
  );
}

async function postJson(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Json }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as Json };
}

/** Every product's cursor for `search`, newest first, from the subgraph. */
async function cursorsOf(url: string, search: string | null, headers: Record<string, string>): Promise<string[]> {
  const cursors: string[] = [];
  for (let after: string | null = null; ;) {
    const { json } = await postJson(url, JSON.stringify({ query: CURSORS_QUERY, variables: { search, after } }), headers);
    const page = json as {
      data?: { products: { edges: Array<{ cursor: string }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
      errors?: Json;
    };
    if (!page.data || page.errors) throw new Error(`cursors for ${String(search)}: ${JSON.stringify(page.errors ?? json)}`);
    cursors.push(...page.data.products.edges.map((edge) => edge.cursor));
    if (!page.data.products.pageInfo.hasNextPage) return cursors;
    after = page.data.products.pageInfo.endCursor;
  }
}

/** The request bodies: every search × page start × page size, interleaved so neighbours differ. */
async function requestBodies(subgraphUrl: string, headers: Record<string, string>): Promise<string[]> {
  const bodies: string[] = [];
  for (const search of SEARCHES) {
    const cursors = await cursorsOf(subgraphUrl, search, headers);
    // Offset 0 is the first page (no cursor); offset k starts after the k-th product.
    for (let offset = 0; offset === 0 || offset < cursors.length; offset += CURSOR_STRIDE) {
      const after = offset === 0 ? null : cursors[offset - 1]!;
      for (const first of PAGE_SIZES) bodies.push(JSON.stringify({ query: PRODUCTS_PAGE_QUERY, variables: { first, after, search } }));
    }
  }
  // A prime stride (coprime with any smaller count) reorders every body once, spreading each search's pages out.
  return bodies
    .map((body, index) => ({ body, key: (index * 7919) % bodies.length }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.body);
}

/** Fails unless both sides answer every body alike, without errors. */
async function checkSameAnswers(urls: Record<Side, string>, bodies: readonly string[], headers: Record<string, string>): Promise<void> {
  let edges = 0;
  for (const body of bodies) {
    const [subgraph, endpoint] = await Promise.all([postJson(urls.subgraph, body, headers), postJson(urls.endpoint, body, headers)]);
    for (const [side, answer] of [
      ['subgraph', subgraph],
      ['endpoint', endpoint],
    ] as const) {
      const parsed = answer.json as { data?: Json; errors?: Json };
      if (answer.status !== 200 || parsed.errors || !parsed.data)
        throw new Error(`${side} failed ${body}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    const ours = JSON.stringify(normalised(subgraph.json));
    const theirs = JSON.stringify(normalised(endpoint.json));
    if (ours !== theirs) throw new Error(`the endpoint answered ${body} differently from the subgraph:\nsubgraph: ${ours}\nendpoint: ${theirs}`);
    edges += (subgraph.json as { data: { products: { edges: Json[] } } }).data.products.edges.length;
  }
  console.error(`the endpoint answers all ${bodies.length} bodies as the subgraph does (${round(edges / bodies.length, 1)} products per page on average)`);
}

const cpuTotalUs = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/**
 * The PostgreSQL backends serving the benchmark's database now: their CPU is what the two sides
 * cost the database, without the server's background processes or other databases' clients.
 */
async function databaseBackends(sql: SqlClient): Promise<number[]> {
  const rows = await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  return rows.map((row) => row.pid);
}

async function measure(
  side: Side,
  roundIndex: number,
  child: ChildHandle,
  url: string,
  bodies: readonly string[],
  headers: Record<string, string>,
  sql: SqlClient,
): Promise<Row> {
  const cpuBefore = cpuTotalUs(await child.call<NodeJS.CpuUsage>('cpu'));
  const backendsBefore = await databaseBackends(sql);
  const postgresBefore = readCpu({ postgres: { pids: backendsBefore } });
  const result = await runLoad({ url, bodies, connections: CONNECTIONS, seconds: DURATION_S, headers });
  // Backends a pool opened meanwhile count from zero (see cpuBetween).
  const backendsAfter = [...new Set([...backendsBefore, ...(await databaseBackends(sql))])];
  const postgres = cpuBetween(postgresBefore, readCpu({ postgres: { pids: backendsAfter } })).postgres ?? 0;
  const cpuUs = cpuTotalUs(await child.call<NodeJS.CpuUsage>('cpu')) - cpuBefore;
  const requests = Math.max(1, result.requests.total);
  return {
    side,
    round: roundIndex,
    requestsPerSecond: round(result.requests.total / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMsPerRequest: round(cpuUs / 1000 / requests, 3),
    postgresCpuMsPerRequest: round(postgres / requests, 3),
  };
}

/** Prints the top self-time entries of a profile with bench/support/cpuprofile-top.ts. */
function printProfileTop(file: string, top: number): void {
  const script = fileURLToPath(new URL('./support/cpuprofile-top.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, file, String(top)], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`cpuprofile-top failed: ${result.stderr}`);
    return;
  }
  // Its inclusive-time section is long and unfiltered here: the self-time sections tell where the time goes.
  console.log(result.stdout.split('\ninclusive time')[0]);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('subgraph-read-path needs PostgreSQL (the hand-written endpoint is a pg client): set DATABASE_URL. Skipped.');
    return;
  }
  const started = Date.now();
  const loadBefore = os.loadavg();
  // Inventory data only: campaigns and influencers would seed tracking tables this never reads.
  const stack: FederationStack = await startFederationStack({ products: PRODUCTS, stores: STORES, campaigns: 0, influencers: 0 });
  const children = new Map<Side, { child: ChildHandle; url: string }>();
  let seeding = true;
  const closeSeeding = async () => {
    if (!seeding) return;
    seeding = false;
    for (const subgraph of stack.subgraphs) await subgraph.close();
    await stack.platform.close();
  };
  try {
    // The seeding subgraphs are done: their publisher would otherwise poll the database all along.
    await closeSeeding();
    const seededAt = Date.now();
    console.error(`seeded ${PRODUCTS} products × ${STORES} stores in ${round((seededAt - started) / 1000, 1)} s`);

    const serveUrl = stack.database.url!;
    for (const side of SIDES) {
      const child = forkChild(new URL('./support/read-path-process.ts', import.meta.url));
      const params: ReadPathStart = { kind: side, databaseUrl: serveUrl, routerKey: benchKeys.routerKey, redisUrl: process.env.REDIS_URL };
      const { url } = await child.call<{ url: string }>('start', params);
      children.set(side, { child, url });
    }
    const urlOf = (side: Side) => children.get(side)!.url;
    const childOf = (side: Side) => children.get(side)!.child;
    // One token for the whole run, as a fixed header: the subgraph verifies it once, then from its cache.
    const headers = await routerSignedHeaders(6 * 3600);
    const bodies = await requestBodies(urlOf('subgraph'), headers);
    await checkSameAnswers({ subgraph: urlOf('subgraph'), endpoint: urlOf('endpoint') }, bodies, headers);

    for (const side of SIDES) await runLoad({ url: urlOf(side), bodies, connections: CONNECTIONS, seconds: WARMUP_S, headers });
    const rows: Row[] = [];
    for (let index = 1; index <= ROUNDS; index += 1) {
      const order = index % 2 === 1 ? SIDES : [...SIDES].reverse();
      for (const side of order) rows.push(await measure(side, index, childOf(side), urlOf(side), bodies, headers, stack.database.database.sql));
      console.error(`round ${index} of ${ROUNDS} done`);
    }

    let profileFile: string | undefined;
    if (PROFILE) {
      // After the measured rounds, so the profiler's overhead is in none of them.
      profileFile = `${PROFILE_DIR}/inventory-${started}.cpuprofile`;
      await childOf('subgraph').call('profileStart');
      await runLoad({ url: urlOf('subgraph'), bodies, connections: CONNECTIONS, seconds: DURATION_S, headers });
      await childOf('subgraph').call('profileStop', { path: profileFile });
    }

    const label = backendLabel();
    printTable(
      `inventory subgraph vs hand-written pg endpoint, products page (${PAGE_SIZES.join('/')} products × ${STORES} stores): ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION_S} s, ${bodies.length} distinct bodies, ${label.database}/${label.bus}`,
      rows.map((row) => ({
        side: row.side,
        round: row.round,
        'req/s': row.requestsPerSecond,
        'p50 ms': row.p50Ms,
        'p99 ms': row.p99Ms,
        errors: row.errors,
        'CPU ms/req': row.cpuMsPerRequest,
        'PostgreSQL CPU ms/req': row.postgresCpuMsPerRequest,
      })),
    );
    const of = (side: Side, index: number) => rows.find((row) => row.side === side && row.round === index)!;
    const perRound = (pick: (row: Row) => number) =>
      Array.from({ length: ROUNDS }, (_, index) => round(pick(of('subgraph', index + 1)) / Math.max(Number.EPSILON, pick(of('endpoint', index + 1))), 3));
    const sideSummary = (side: Side) => {
      const mine = rows.filter((row) => row.side === side);
      return {
        side,
        requestsPerSecond: round(median(mine.map((row) => row.requestsPerSecond)), 1),
        p50Ms: median(mine.map((row) => row.p50Ms)),
        p99Ms: median(mine.map((row) => row.p99Ms)),
        cpuMsPerRequest: round(median(mine.map((row) => row.cpuMsPerRequest)), 3),
        postgresCpuMsPerRequest: round(median(mine.map((row) => row.postgresCpuMsPerRequest)), 3),
        errors: mine.reduce((sum, row) => sum + row.errors, 0),
      };
    };
    const sides = SIDES.map(sideSummary);
    const ratios = {
      throughput: round(median(perRound((row) => row.requestsPerSecond)), 3),
      throughputPerRound: perRound((row) => row.requestsPerSecond),
      p50: round(median(perRound((row) => row.p50Ms)), 3),
      p99: round(median(perRound((row) => row.p99Ms)), 3),
      cpuPerRequest: round(median(perRound((row) => row.cpuMsPerRequest)), 3),
      postgresCpuPerRequest: round(median(perRound((row) => row.postgresCpuMsPerRequest)), 3),
    };
    const met = ratios.throughput >= TARGET_RATIO;
    printTable('per side, medians over rounds', [
      ...sides.map((entry) => ({
        side: entry.side,
        'req/s': entry.requestsPerSecond,
        'p50 ms': entry.p50Ms,
        'p99 ms': entry.p99Ms,
        'CPU ms/req': entry.cpuMsPerRequest,
        'PostgreSQL CPU ms/req': entry.postgresCpuMsPerRequest,
        errors: entry.errors,
      })),
      {
        side: 'subgraph / endpoint',
        'req/s': ratios.throughput,
        'p50 ms': ratios.p50,
        'p99 ms': ratios.p99,
        'CPU ms/req': ratios.cpuPerRequest,
        'PostgreSQL CPU ms/req': ratios.postgresCpuPerRequest,
        errors: '',
      },
    ]);
    console.log(`subgraph / endpoint req/s per round: ${ratios.throughputPerRound.join(' ')}`);
    console.log(`target: subgraph ≥ ${TARGET_RATIO * 100} % of the endpoint's req/s — ${met ? 'met' : 'NOT met'} (median ratio ${ratios.throughput})`);
    const loadAfter = os.loadavg();
    console.log(
      `load average before ${loadBefore.map((value) => value.toFixed(2)).join(' / ')}, after ${loadAfter.map((value) => value.toFixed(2)).join(' / ')} (${os.cpus().length} cores)`,
    );
    const errors = sides.reduce((sum, entry) => sum + entry.errors, 0);
    if (errors > 0) console.error(`WARNING: ${errors} requests failed during the rounds: the numbers above are not comparable`);

    if (profileFile) {
      console.log(`\nsubgraph CPU profile of one ${DURATION_S} s round: ${profileFile}`);
      printProfileTop(profileFile, 10);
    }
    const file = await recordResult('subgraph-read-path', {
      backend: label,
      world: stack.world,
      query: PRODUCTS_PAGE_QUERY,
      distinctBodies: bodies.length,
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      rows,
      sides,
      ratios,
      target: { ratio: TARGET_RATIO, met },
      profile: profileFile,
      loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: loadAfter.map((value) => round(value, 2)) },
      seedSeconds: round((seededAt - started) / 1000, 1),
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`appended to ${file}`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    for (const { child } of children.values()) await child.stop();
    await closeSeeding();
    await stack.database.drop();
  }
}

await main();
