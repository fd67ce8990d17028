/**
 * Impression ingestion of the tracking subgraph, measured over HTTP against the subgraph itself
 * (registerImpressions with batches of BENCH_BATCH, several concurrent clients, one campaign each),
 * next to a baseline in the same run: the raw event-store batch append of the same events (what
 * the command path appends, without deciding, claiming ids or counting). While the subgraph path
 * runs, every campaign has a graphql-ws subscription to campaignStatsUpdated, and each commit is
 * matched with the first stats update that includes it: commit → receipt latency.
 *
 *   npx tsx bench/tracking-ingestion.ts                       # PGlite, in-process bus
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
 *     npx tsx bench/tracking-ingestion.ts
 *
 * Env: BENCH_SECONDS (per measured run, default 5), BENCH_ROUNDS (runs per path, alternating,
 * default 3; the table shows the median), BENCH_BATCH (impressions per batch, default 1000),
 * BENCH_CONCURRENCY (clients = campaigns, default 4), TRACKING_STATS_INTERVAL_MS (coalescing, 100).
 * Target: ≥ 20,000 impressions/s with batches of 1,000.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import type { RecordedEvent } from '../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../subgraphs/shared/event-store/sql-event-store.js';
import { createPlatform, type Platform } from '../subgraphs/shared/platform.js';
import { startSubgraphServer } from '../subgraphs/shared/server/subgraph-server.js';
import { activityStreamId } from '../subgraphs/tracking/domain/index.js';
import { DEFAULT_STATS_INTERVAL_MS, trackingSubgraph } from '../subgraphs/tracking/subgraph.js';
import { backend, createTestDatabase } from '../test/support/environment.js';
import { median, printTable, quantile, recordResult, round, runFor } from './lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const INFLUENCERS = 20;
const STATS_INTERVAL_MS = Number(process.env.TRACKING_STATS_INTERVAL_MS ?? DEFAULT_STATS_INTERVAL_MS);
const TARGET_PER_SECOND = 20_000;
/** The paced run offers this share of the measured subgraph throughput, to see latency without a backlog. */
const PACED_FRACTION = Number(process.env.BENCH_PACED_FRACTION ?? 0.5);

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const runId = randomUUID().slice(0, 8);

type Phase = 'saturated' | 'paced';
let phase: Phase = 'saturated';
/** Commit instants of activity appends, per campaign: [stream version after the commit, time, phase]. */
const commits = new Map<string, Array<[number, number, Phase]>>();

/** Records when each activity transaction committed (the command path returns its appended events). */
function observeCommits(platform: Platform): Platform {
  return {
    ...platform,
    afterCommit: async <T>(work: Promise<T>): Promise<T> => {
      const result = await platform.afterCommit(work);
      const committedAt = performance.now();
      if (Array.isArray(result) && result.length > 0) {
        const last = result[result.length - 1] as RecordedEvent;
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

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const REGISTER = `mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted } }`;

/** The impressions of batch `iteration` of client `loop`: ids unique per run, spread over influencers and the last hour. */
function batchOf(prefix: string, loop: number, iteration: number, influencers: readonly string[], now: number) {
  return Array.from({ length: BATCH }, (_, index) => ({
    id: `${prefix}-${loop}-${iteration}-${index}`,
    influencerId: influencers[(iteration * BATCH + index) % influencers.length]!,
    occurredAt: new Date(now - 3_600_000 + ((iteration * BATCH + index) % 3_600_000)).toISOString(),
  }));
}

/** Runs `worker` on CONCURRENCY loops (one per campaign) for `seconds`. */
async function runLoops(seconds: number, worker: (loop: number, iteration: number) => Promise<number>) {
  const { operations, elapsedMs } = await runFor(seconds, CONCURRENCY, worker);
  return { operations, perSecond: operations / (elapsedMs / 1000) };
}

/** Waits until the publisher has put every committed event on the bus. */
async function drainPublisher(platform: Platform): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [row] = await platform.db.sql.query<{ behind: boolean }>(
      `SELECT coalesce((SELECT max(position) FROM events), 0) > coalesce((SELECT max(position) FROM checkpoints), 0) AS behind`,
    );
    if (!row?.behind) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const testDatabase = backend.databaseUrl ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const platform = await createPlatform({ databaseUrl: testDatabase?.url, redisUrl: backend.redisUrl, busPrefix: `bench-${runId}`, logger });
  const server = await startSubgraphServer(trackingSubgraph(observeCommits(platform), { statsIntervalMs: STATS_INTERVAL_MS }), { port: 0, logger });
  const url = server.url;
  const backendLabel = `${testDatabase ? 'PostgreSQL' : 'PGlite'} + ${backend.redisUrl ? 'Redis' : 'in-process bus'}`;
  console.log(`tracking ingestion: ${backendLabel}; ${CONCURRENCY} clients × batches of ${BATCH}; ${SECONDS}s × ${ROUNDS} rounds`);

  try {
    const startsAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const campaignIds = Array.from({ length: CONCURRENCY }, (_, index) => `bench-${runId}-c${index}`);
    for (const id of campaignIds) await post(url, `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`, { input: { id, name: id, startsAt } });
    const influencers = Array.from({ length: INFLUENCERS }, (_, index) => `bench-${runId}-i${index}`);
    for (const id of influencers) {
      await post(url, `mutation($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { influencer { id } } }`, {
        input: { id, handle: id.replace(/-/g, '_'), platform: 'INSTAGRAM' },
      });
    }

    // One stats subscription per campaign for the whole run: receipt times and counts.
    const receipts = new Map<string, Array<[number, number]>>();
    const ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
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
    const baselineRates: number[] = [];
    const subgraphRates: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const now = Date.now();
      // Baseline: the same ImpressionRegistered events, batch-appended straight to the store.
      const baseline = await runLoops(SECONDS, async (loop, iteration) => {
        const events = batchOf(`raw${round}`, loop, iteration, influencers, now).map((item) => ({
          type: 'ImpressionRegistered',
          data: { impressionId: item.id, campaignId: campaignIds[loop]!, influencerId: item.influencerId, occurredAt: item.occurredAt },
        }));
        await store.appendToStream(`benchraw-${runId}-${loop}`, events, { expectedVersion: 'ANY', metadata });
        return events.length;
      });
      baselineRates.push(baseline.perSecond);
      // The publisher also carries the baseline's events to the bus: let it finish first, so the
      // stats latency below measures the subgraph's own load.
      await drainPublisher(platform);
      const subgraph = await runLoops(SECONDS, async (loop, iteration) => {
        const data = await post(url, REGISTER, { input: { campaignId: campaignIds[loop]!, impressions: batchOf(`api${round}`, loop, iteration, influencers, now) } });
        return data.registerImpressions.accepted as number;
      });
      subgraphRates.push(subgraph.perSecond);
      console.log(`  round ${round + 1}: baseline ${Math.round(baseline.perSecond)}/s, subgraph ${Math.round(subgraph.perSecond)}/s`);
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

    // Paced: a steady share of the measured throughput, so latency shows without a growing backlog.
    const subgraphMedian = median(subgraphRates);
    const pacedRate = Math.max(BATCH, subgraphMedian * PACED_FRACTION);
    const slotMs = (BATCH * CONCURRENCY * 1000) / pacedRate;
    phase = 'paced';
    const pacedStart = performance.now();
    const paced = await runLoops(SECONDS * 2, async (loop, iteration) => {
      const due = pacedStart + (iteration + loop / CONCURRENCY) * slotMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const data = await post(url, REGISTER, { input: { campaignId: campaignIds[loop]!, impressions: batchOf('paced', loop, iteration, influencers, Date.now()) } });
      return data.registerImpressions.accepted as number;
    });
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
    const saturated = latencyOf('saturated');
    const steady = latencyOf('paced');
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
    const baselineMedian = median(baselineRates);
    printTable(`impressions/s, batches of ${BATCH}, ${CONCURRENCY} concurrent writers (${backendLabel})`, [
      { path: 'baseline: raw event-store batch append', 'impressions/s': Math.round(baselineMedian), 'vs baseline': '1.00' },
      {
        path: 'subgraph: registerImpressions over HTTP',
        'impressions/s': Math.round(subgraphMedian),
        'vs baseline': (subgraphMedian / baselineMedian).toFixed(2),
      },
    ]);
    printTable(`campaignStatsUpdated commit → receipt (coalescing ${STATS_INTERVAL_MS} ms; ${updates} updates in all)`, [
      latencyRow('saturated (the runs above)', subgraphMedian, saturated),
      latencyRow(`paced at ${Math.round(PACED_FRACTION * 100)}% of that`, paced.perSecond, steady),
    ]);
    const verdict = subgraphMedian >= TARGET_PER_SECOND ? 'meets' : 'misses';
    console.log(`\nsubgraph ingestion ${verdict} the target of ${TARGET_PER_SECOND.toLocaleString('en-US')} impressions/s`);
    const file = await recordResult('tracking-ingestion', {
      backend: backendLabel,
      batch: BATCH,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      rounds: ROUNDS,
      baselinePerSecond: Math.round(baselineMedian),
      subgraphPerSecond: Math.round(subgraphMedian),
      statsIntervalMs: STATS_INTERVAL_MS,
      updates,
      latencySaturatedMs: { commits: saturated.commitCount, p50: quantile(saturated.latencies, 0.5), p95: quantile(saturated.latencies, 0.95), p99: quantile(saturated.latencies, 0.99), max: saturated.latencies.at(-1), neverReceived: saturated.missing },
      pacedPerSecond: Math.round(paced.perSecond),
      latencyPacedMs: { commits: steady.commitCount, p50: quantile(steady.latencies, 0.5), p95: quantile(steady.latencies, 0.95), p99: quantile(steady.latencies, 0.99), max: steady.latencies.at(-1), neverReceived: steady.missing },
    });
    console.log(`recorded in ${file}`);
  } finally {
    await server.close();
    await platform.close();
    await testDatabase?.drop();
  }
}

await main();
