/**
 * Impression ingestion of the tracking subgraph: `registerImpressions` with batches of BENCH_BATCH
 * from several concurrent clients (one campaign each), through the router and straight to the
 * subgraph, next to a baseline measured in the same run: the raw event-store batch append of the
 * same events (what the command path appends, without deciding, claiming ids or counting).
 *
 * Processes, as deployed with `--only`: this one runs the platform and the tracking and inventory
 * subgraphs; the router runs in a child (bench/support/gateway-process.ts), and so does the load
 * generator (bench/support/ingestion-client-process.ts), whose work is not charged to either.
 * Every campaign has a graphql-ws subscription to campaignStatsUpdated through the router for the
 * whole run; each commit (taken in this process) is matched with the first stats update that
 * includes it (received in this process): commit → receipt latency, per load. On Linux it also
 * reports the CPU time each process (and PostgreSQL, Redis) spent per 1,000 impressions.
 *
 *   npx tsx bench/tracking-ingestion.ts                       # PGlite, in-process bus
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx bench/tracking-ingestion.ts
 *
 * Env: BENCH_SECONDS (per measured run, default 5), BENCH_ROUNDS (runs per path, alternating,
 * default 3; the table shows the median), BENCH_BATCH (impressions per batch, default 1000),
 * BENCH_CONCURRENCY (clients = campaigns, default 4), TRACKING_STATS_INTERVAL_MS (coalescing, 100),
 * BENCH_PACED_FRACTION (share of the router's rate the paced run offers, default 0.5). `--profile`
 * writes CPU profiles of the router and the load generator.
 * Targets: ≥ 20,000 impressions/s through the router with batches of 1,000; stats p99 ≤ 200 ms.
 */
import '../bin/production-mode.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { inventorySubgraph } from '../subgraphs/inventory/subgraph.js';
import type { RecordedEvent } from '../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { createPlatform, type Platform } from '../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../subgraphs/shared/server/subgraph-server.js';
import { activityStreamId } from '../subgraphs/tracking/domain/index.js';
import { DEFAULT_STATS_INTERVAL_MS, trackingSubgraph, trackingTypeDefs } from '../subgraphs/tracking/subgraph.js';
import { backend, createTestDatabase } from '../test/support/environment.js';
import { composeForTest } from '../test/support/router-harness.js';
import { median, printTable, quantile, recordResult, round, runFor } from './lib.js';
import { forkChild } from './support/child-rpc.js';
import { cpuBetween, readCpu, type CpuGroups } from './support/process-cpu.js';
import { hasFlag, postToSubgraph } from './support/router-stack.js';
import { benchKeys, benchToken, benchTrust, routerSignedHeaders } from './support/bench-keys.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const INFLUENCERS = 20;
const STATS_INTERVAL_MS = Number(process.env.TRACKING_STATS_INTERVAL_MS ?? DEFAULT_STATS_INTERVAL_MS);
const TARGETS = { perSecond: 20_000, statsP99Ms: 200 };
/** `--profile`: CPU profiles of the router and load generator processes (this one: run it under `node --cpu-prof`). */
const PROFILE_DIR = hasFlag('profile') ? `/tmp/tributary-ingestion-profiles/${Date.now()}` : undefined;
/** The paced run offers this share of the rate measured through the router, to see latency without a backlog. */
const PACED_FRACTION = Number(process.env.BENCH_PACED_FRACTION ?? 0.5);

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const runId = randomUUID().slice(0, 8);
const inventoryTypeDefs = parse(readFileSync(new URL('../subgraphs/inventory/schema.graphql', import.meta.url), 'utf8'));

/** Which load a commit was made under, for the latency table. */
type Phase = 'setup' | 'subgraph' | 'router' | 'paced';
let phase: Phase = 'setup';
/** Commit instants of activity appends, per campaign: [stream version after the commit, time, phase]. */
const commits = new Map<string, Array<[number, number, Phase]>>();

/** The events a committed unit of work appended: a command batch's outcome holds them. */
function appendedBy(result: unknown): readonly RecordedEvent[] {
  if (typeof result !== 'object' || result === null || !('events' in result)) return [];
  const events = result.events;
  return Array.isArray(events) ? (events as RecordedEvent[]) : [];
}

/** Records when each activity transaction committed (the command pipeline's batch outcome holds its appended events). */
function observeCommits(platform: Platform): Platform {
  return {
    ...platform,
    afterCommit: async <T>(work: Promise<T>): Promise<T> => {
      const result = await platform.afterCommit(work);
      const committedAt = performance.now();
      const appended = appendedBy(result);
      if (appended.length > 0) {
        const last = appended[appended.length - 1]!;
        if (typeof last.streamId === 'string' && last.streamId.startsWith('activity-')) {
          const list = commits.get(last.streamId) ?? [];
          list.push([last.version, committedAt, phase]);
          commits.set(last.streamId, list);
        }
      }
      return result;
    },
  };
}

/**
 * Waits until the publisher has put every committed event on the bus: until a pass of its own
 * finds nothing left. (Comparing the checkpoint's position with the log's greatest one does not
 * work: the log is in commit-safe order, and its last event need not hold the greatest position.)
 */
async function drainPublisher(platform: Platform): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && (await platform.publisher.publishBatch())) await new Promise((resolve) => setTimeout(resolve, 20));
}

const perSecond = (result: { impressions: number; elapsedMs: number }) => result.impressions / (result.elapsedMs / 1000);

async function main(): Promise<void> {
  const testDatabase = backend.databaseUrl ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const platform = await createPlatform({ databaseUrl: testDatabase?.url, redisUrl: backend.redisUrl, busPrefix: `bench-${runId}`, logger });
  const observed = observeCommits(platform);
  const tracking = await startSubgraphServer(trackingSubgraph(observed, { statsIntervalMs: STATS_INTERVAL_MS }), { port: 0, logger, trust: benchTrust });
  const inventory = await startSubgraphServer(inventorySubgraph(platform), { port: 0, logger, trust: benchTrust });
  const supergraphSdl = composeForTest([
    { name: 'inventory', url: inventory.url, typeDefs: inventoryTypeDefs },
    { name: 'tracking', url: tracking.url, typeDefs: trackingTypeDefs },
  ]);
  const profileFlags = (name: string) => (PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${name}`] : []);
  const routerProcess = forkChild(new URL('./support/gateway-process.ts', import.meta.url), profileFlags('router'));
  const clients = forkChild(new URL('./support/ingestion-client-process.ts', import.meta.url), profileFlags('load-generator'));
  const backendLabel = `${testDatabase ? 'PostgreSQL' : 'PGlite'} + ${backend.redisUrl ? 'Redis' : 'in-process bus'}`;
  console.log(`tracking ingestion: ${backendLabel}; ${CONCURRENCY} clients × batches of ${BATCH}; ${SECONDS}s × ${ROUNDS} rounds`);

  try {
    const router = await routerProcess.call<{ url: string; wsUrl: string }>('start', { kind: 'router', supergraphSdl, keys: benchKeys });
    const startsAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const campaignIds = Array.from({ length: CONCURRENCY }, (_, index) => `bench-${runId}-c${index}`);
    for (const id of campaignIds)
      await postToSubgraph(tracking.url, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`, {
        input: { id, name: id, startsAt },
      });
    const influencers = Array.from({ length: INFLUENCERS }, (_, index) => `bench-${runId}-i${index}`);
    for (const id of influencers) {
      await postToSubgraph(tracking.url, `mutation($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { influencer { id } } }`, {
        input: { id, handle: id.replace(/-/g, '_'), platform: 'INSTAGRAM' },
      });
    }

    // One stats subscription per campaign, through the router, for the whole run: receipt times and counts.
    const receipts = new Map<string, Array<[number, number]>>();
    const ws = createClient({ url: router.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const disposers = campaignIds.map((campaignId) => {
      const list: Array<[number, number]> = [];
      receipts.set(activityStreamId(campaignId), list);
      return ws.subscribe<{ campaignStatsUpdated: { impressions: number } }>(
        { query: `subscription($id: ID!) { campaignStatsUpdated(campaignId: $id) { position impressions } }`, variables: { id: campaignId } },
        {
          next: (result) => {
            if (result.data) list.push([result.data.campaignStatsUpdated.impressions, performance.now()]);
          },
          error: (error) => console.error('subscription error', error),
          complete: () => undefined,
        },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const store = new SqlEventStore(platform.db.sql);
    const metadata = { correlationId: randomUUID(), actor: 'bench' };
    const rates: Record<'baseline' | 'subgraph' | 'router', number[]> = { baseline: [], subgraph: [], router: [] };
    // Where the CPU goes, per path: every process involved, from /proc (Linux).
    const cpuGroups: CpuGroups = {
      'subgraphs process': { pids: [process.pid] },
      router: { pids: [routerProcess.pid] },
      'load generator': { pids: [clients.pid] },
      PostgreSQL: { named: 'postgres' },
      Redis: { named: 'redis-server' },
    };
    const cpu = { subgraph: { impressions: 0, ms: {} as Record<string, number> }, router: { impressions: 0, ms: {} as Record<string, number> } };
    const ingest = async (url: string, prefix: string, now: number, seconds: number, ratePerSecond?: number, charge?: 'subgraph' | 'router') => {
      // Straight to the subgraph a call carries the router's signature; through the router, a client token.
      const headers = url === tracking.url ? await routerSignedHeaders(3_600) : { authorization: `Bearer ${await benchToken()}` };
      const params = { url, campaignIds, influencers, prefix, batch: BATCH, seconds, now, headers, ...(ratePerSecond ? { ratePerSecond } : {}) };
      await clients.call('prepare', params, 120_000);
      const before = readCpu(cpuGroups);
      const result = await clients.call<{ impressions: number; elapsedMs: number }>('run', params, seconds * 1000 + 120_000);
      if (charge) {
        cpu[charge].impressions += result.impressions;
        for (const [group, ms] of Object.entries(cpuBetween(before, readCpu(cpuGroups)))) cpu[charge].ms[group] = (cpu[charge].ms[group] ?? 0) + ms;
      }
      return perSecond(result);
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const now = Date.now();
      // Baseline: the same ImpressionRegistered events, batch-appended straight to the store.
      const baseline = await runFor(SECONDS, CONCURRENCY, async (loop, iteration) => {
        const events = Array.from({ length: BATCH }, (_, index) => ({
          type: 'ImpressionRegistered',
          data: {
            impressionId: `raw${round}-${loop}-${iteration}-${index}`,
            campaignId: campaignIds[loop]!,
            influencerId: influencers[(iteration * BATCH + index) % INFLUENCERS]!,
            occurredAt: new Date(now - 3_600_000 + ((iteration * BATCH + index) % 3_600_000)).toISOString(),
          },
        }));
        await store.appendToStream(`benchraw-${runId}-${loop}`, events, { expectedVersion: 'ANY', metadata });
        return events.length;
      });
      rates.baseline.push(baseline.operations / (baseline.elapsedMs / 1000));
      // The publisher also carries the baseline's events to the bus: let it finish first, so the
      // stats latency below measures the command path's own load.
      await drainPublisher(platform);
      // Alternate which path goes first, so table growth hits both alike.
      const paths = round % 2 === 0 ? (['subgraph', 'router'] as const) : (['router', 'subgraph'] as const);
      for (const path of paths) {
        phase = path;
        rates[path].push(await ingest(path === 'router' ? router.url : tracking.url, `${path}${round}`, now, SECONDS, undefined, path));
        await drainPublisher(platform);
      }
      console.log(
        `  round ${round + 1}: baseline ${Math.round(rates.baseline.at(-1)!)}/s, subgraph ${Math.round(rates.subgraph.at(-1)!)}/s, router ${Math.round(rates.router.at(-1)!)}/s`,
      );
    }

    const waitForFinalUpdates = async () => {
      const deadline = Date.now() + 60_000;
      for (const [stream, list] of commits) {
        const final = list[list.length - 1]![0];
        const received = receipts.get(stream)!;
        while ((received[received.length - 1]?.[0] ?? 0) < final && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // Every campaign's last update must reach its final count.
    await waitForFinalUpdates();

    // Paced through the router: a steady share of its measured rate, so latency shows without a growing backlog.
    const medians = { baseline: median(rates.baseline), subgraph: median(rates.subgraph), router: median(rates.router) };
    // The saturated runs can leave the publisher behind: start the paced run from an empty backlog.
    await drainPublisher(platform);
    phase = 'paced';
    const paced = await ingest(router.url, 'paced', Date.now(), SECONDS * 2, Math.max(BATCH, medians.router * PACED_FRACTION));
    await waitForFinalUpdates();
    for (const dispose of disposers) dispose();
    await ws.dispose();

    const latencyOf = (wanted: Phase) => {
      const latencies: number[] = [];
      let missing = 0;
      let commitCount = 0;
      for (const [stream, list] of commits) {
        const received = receipts.get(stream) ?? [];
        let cursor = 0;
        for (const [version, committedAt, committedIn] of list) {
          while (cursor < received.length && received[cursor]![0] < version) cursor += 1;
          if (committedIn !== wanted) continue;
          commitCount += 1;
          const receipt = received[cursor];
          if (!receipt) missing += 1;
          else latencies.push(Math.max(0, receipt[1] - committedAt));
        }
      }
      latencies.sort((a, b) => a - b);
      return { latencies, missing, commitCount };
    };
    const updates = [...receipts.values()].reduce((sum, list) => sum + list.length, 0);
    const latency = { subgraph: latencyOf('subgraph'), router: latencyOf('router'), paced: latencyOf('paced') };
    const latencyRow = (label: string, rate: number, measured: ReturnType<typeof latencyOf>) => ({
      load: label,
      'impressions/s': Math.round(rate),
      commits: measured.commitCount,
      'p50 ms': round(quantile(measured.latencies, 0.5), 1),
      'p95 ms': round(quantile(measured.latencies, 0.95), 1),
      'p99 ms': round(quantile(measured.latencies, 0.99), 1),
      'max ms': round(measured.latencies[measured.latencies.length - 1] ?? Number.NaN, 1),
      'never received': measured.missing,
    });
    printTable(`impressions/s, batches of ${BATCH}, ${CONCURRENCY} concurrent clients (${backendLabel}; median of ${ROUNDS} runs)`, [
      { path: 'baseline: raw event-store batch append', 'impressions/s': Math.round(medians.baseline), 'vs baseline': '1.00' },
      {
        path: 'registerImpressions, straight to the subgraph',
        'impressions/s': Math.round(medians.subgraph),
        'vs baseline': (medians.subgraph / medians.baseline).toFixed(2),
      },
      {
        path: 'registerImpressions through the router',
        'impressions/s': Math.round(medians.router),
        'vs baseline': (medians.router / medians.baseline).toFixed(2),
      },
    ]);
    const cpuPerThousand = (path: 'subgraph' | 'router') =>
      Object.fromEntries(Object.keys(cpuGroups).map((group) => [group, round(((cpu[path].ms[group] ?? 0) / cpu[path].impressions) * 1000, 1)]));
    const cpuRows = (['subgraph', 'router'] as const).map((path) => ({
      path: path === 'router' ? 'through the router' : 'straight to the subgraph',
      ...cpuPerThousand(path),
    }));
    printTable('CPU ms per 1,000 impressions, by process (saturated runs; /proc)', cpuRows);
    printTable(`campaignStatsUpdated through the router, commit → receipt (coalescing ${STATS_INTERVAL_MS} ms; ${updates} updates in all)`, [
      latencyRow('saturated, straight to the subgraph', medians.subgraph, latency.subgraph),
      latencyRow('saturated, through the router', medians.router, latency.router),
      latencyRow(`paced at ${Math.round(PACED_FRACTION * 100)}% of the router's rate`, paced, latency.paced),
    ]);
    const statsP99 = quantile(latency.router.latencies, 0.99);
    console.log(
      `\nthrough the router: ${Math.round(medians.router).toLocaleString('en-US')} impressions/s ${medians.router >= TARGETS.perSecond ? 'meets' : 'misses'} the target of ${TARGETS.perSecond.toLocaleString('en-US')}/s; ` +
        `stats p99 under that load ${round(statsP99, 1)} ms ${statsP99 <= TARGETS.statsP99Ms ? 'meets' : 'misses'} the target of ${TARGETS.statsP99Ms} ms`,
    );
    const summary = (measured: ReturnType<typeof latencyOf>) => ({
      commits: measured.commitCount,
      p50: quantile(measured.latencies, 0.5),
      p95: quantile(measured.latencies, 0.95),
      p99: quantile(measured.latencies, 0.99),
      max: measured.latencies.at(-1),
      neverReceived: measured.missing,
    });
    const file = await recordResult('tracking-ingestion', {
      backend: backendLabel,
      processes: 'subgraphs | router | load generator',
      batch: BATCH,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      rounds: ROUNDS,
      baselinePerSecond: Math.round(medians.baseline),
      subgraphPerSecond: Math.round(medians.subgraph),
      routerPerSecond: Math.round(medians.router),
      runs: { baseline: rates.baseline.map(Math.round), subgraph: rates.subgraph.map(Math.round), router: rates.router.map(Math.round) },
      cpuMsPerThousand: { subgraph: cpuPerThousand('subgraph'), router: cpuPerThousand('router') },
      statsIntervalMs: STATS_INTERVAL_MS,
      updates,
      latencySubgraphMs: summary(latency.subgraph),
      latencyRouterMs: summary(latency.router),
      pacedPerSecond: Math.round(paced),
      latencyPacedMs: summary(latency.paced),
    });
    console.log(`recorded in ${file}`);
    if (PROFILE_DIR) console.log(`CPU profiles of the children in ${PROFILE_DIR}`);
  } finally {
    await clients.stop();
    await routerProcess.stop();
    await tracking.close();
    await inventory.close();
    await platform.close();
    await testDatabase?.drop();
  }
}

await main();
