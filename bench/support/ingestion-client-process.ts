/**
 * A child process that sends `registerImpressions` batches, so the load generator's own work
 * (building and encoding 1,000-item batches, HTTP) is not charged to the process measured.
 * Driven over IPC (see child-rpc.ts):
 *
 *   prepare { url, campaignIds, influencers, prefix, batch, seconds, now, ratePerSecond? }
 *   run     (same params) → { impressions, elapsedMs }
 *
 * `prepare` builds the request bodies of the next run, so neither its clock nor the CPU time
 * charged around it includes them. One loop per campaign, each sending its next batch when the
 * previous one is answered. With
 * `ratePerSecond`, batches are instead started on a fixed schedule that offers that rate in all
 * (a loop whose previous batch is still running starts the next one as soon as it returns).
 */
import { Agent, request } from 'undici';
import { runFor } from '../lib.js';
import { serveParent, wallNow } from './child-rpc.js';

const REGISTER = `mutation($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted } }`;

interface RunParams {
  readonly url: string;
  readonly campaignIds: readonly string[];
  readonly influencers: readonly string[];
  /** Makes the impression ids of this run unique. */
  readonly prefix: string;
  readonly batch: number;
  readonly seconds: number;
  /** Impressions are spread over the hour before this instant (ms). */
  readonly now: number;
  readonly ratePerSecond?: number;
  /** Sent with every request: a client token for the router, the router's signature straight to the subgraph. */
  readonly headers?: Readonly<Record<string, string>>;
}

const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });

/** The impressions of batch `iteration` of loop `loop`: ids unique per run, spread over influencers and the last hour. */
function batchOf(params: RunParams, loop: number, iteration: number) {
  return Array.from({ length: params.batch }, (_, index) => {
    const spread = iteration * params.batch + index;
    return {
      id: `${params.prefix}-${loop}-${iteration}-${index}`,
      influencerId: params.influencers[spread % params.influencers.length]!,
      occurredAt: new Date(params.now - 3_600_000 + (spread % 3_600_000)).toISOString(),
    };
  });
}

function bodyOf(params: RunParams, loop: number, iteration: number): string {
  return JSON.stringify({ query: REGISTER, variables: { input: { campaignId: params.campaignIds[loop]!, impressions: batchOf(params, loop, iteration) } } });
}

async function send(params: RunParams, body: string): Promise<number> {
  const response = await request(params.url, { method: 'POST', headers: { 'content-type': 'application/json', ...params.headers }, body, dispatcher: agent });
  const result = (await response.body.json()) as { data?: { registerImpressions: { accepted: number } }; errors?: unknown[] };
  if (result.errors || !result.data) throw new Error(`registerImpressions failed: ${JSON.stringify(result.errors ?? result)}`);
  return result.data.registerImpressions.accepted;
}

/** Bodies are built before the clock starts (as many as 40,000 impressions/s would use), so building them costs the measured processes no CPU. */
const PREPARED_PER_SECOND = 40_000;

/** Bodies built by `prepare`, per loop, for the run with the same prefix. */
let prepared: { prefix: string; bodies: string[][] } | undefined;

function prepare(params: RunParams): string[][] {
  const loops = params.campaignIds.length;
  const perLoop = Math.ceil(((params.ratePerSecond ?? PREPARED_PER_SECOND) * params.seconds) / params.batch / loops) + 2;
  return Array.from({ length: loops }, (_, loop) => Array.from({ length: perLoop }, (_, iteration) => bodyOf(params, loop, iteration)));
}

serveParent({
  now: () => wallNow(),
  prepare(params: RunParams) {
    prepared = { prefix: params.prefix, bodies: prepare(params) };
    return true;
  },
  async run(params: RunParams) {
    const bodies = prepared?.prefix === params.prefix ? prepared.bodies : prepare(params);
    prepared = undefined;
    const loops = params.campaignIds.length;
    const started = performance.now();
    const slotMs = params.ratePerSecond ? (params.batch * loops * 1000) / params.ratePerSecond : 0;
    const { operations, elapsedMs } = await runFor(params.seconds, loops, async (loop, iteration) => {
      if (slotMs > 0) {
        const wait = started + (iteration + loop / loops) * slotMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      return send(params, bodies[loop]![iteration] ?? bodyOf(params, loop, iteration));
    });
    return { impressions: operations, elapsedMs };
  },
});
