/**
 * The demo data set, written through the public GraphQL API: inventory, tracking and history.
 * Importable (tests seed their own stacks with it); `bin/seed.ts` is its command line.
 */
import { graphqlClient, mutationNames, type GraphQLCall } from './client.js';
import { seedHistory, type HistorySeedReport } from './history.js';
import { seedInventory, type InventorySeedReport } from './inventory.js';
import { silentProgress, type SeedProgress } from './progress.js';
import { seedTracking, type TrackingSeedReport } from './tracking.js';

export { seedToken } from './token.js';
export { campaignId, productId, storeId, influencerId, creativeId, ANALYSIS_JOB_ID } from './world.js';

/** Where to send the data and how much of it. */
export interface SeedOptions {
  /** The router's GraphQL URL, or the subgraph to use for each part. */
  readonly url: string;
  readonly inventoryUrl?: string;
  readonly trackingUrl?: string;
  readonly historyUrl?: string;
  /** Bearer token sent with every request. */
  readonly token?: string;
  /** Impressions over all campaigns (default 50,000). */
  readonly impressions?: number;
  /** Impressions per batch (default 1,000, at most 10,000). */
  readonly batch?: number;
  /** The random seed: the same seed gives the same data (default 2026). */
  readonly seed?: number;
  /** "Now" for campaign windows and activity (default: the clock). */
  readonly now?: Date;
  /** How long to follow the analysis job (default 60 s; 0: start it only). */
  readonly analysisTimeoutMs?: number;
  readonly progress?: SeedProgress;
}

/** What a run did; parts that could not run (their subgraph is not reachable) are absent. */
export interface SeedReport {
  readonly inventory?: InventorySeedReport;
  readonly tracking: TrackingSeedReport;
  readonly history?: HistorySeedReport;
  /** Parts left out, with the reason. */
  readonly skipped: string[];
}

/** Which endpoint offers which part; one introspection per distinct URL. */
async function partsOf(urls: Record<'inventory' | 'tracking' | 'history', string>, token: string | undefined) {
  const calls = new Map<string, GraphQLCall>();
  const names = new Map<string, Set<string>>();
  for (const url of new Set(Object.values(urls))) {
    const call = graphqlClient(url, token);
    calls.set(url, call);
    names.set(url, await mutationNames(call));
  }
  const part = (name: keyof typeof urls, mutation: string) => ({
    call: calls.get(urls[name])!,
    offered: names.get(urls[name])!.has(mutation),
    url: urls[name],
  });
  return { inventory: part('inventory', 'registerProduct'), tracking: part('tracking', 'registerImpressions'), history: part('history', 'createEntry') };
}

/**
 * Seeds every part the endpoints offer. Reruns change nothing: commands carry idempotency keys
 * or client ids, and campaigns (whose dates depend on the first run) are created only if missing.
 *
 * @throws Error when no endpoint offers the tracking part, or when a command fails.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedReport> {
  const progress = options.progress ?? silentProgress;
  const seed = options.seed ?? 2026;
  const batch = Math.min(10_000, options.batch ?? 1000);
  const impressions = options.impressions ?? 50_000;
  if (!Number.isInteger(impressions) || impressions < 0 || !Number.isInteger(batch) || batch < 1) {
    throw new Error('impressions must be a non-negative integer and batch a positive one');
  }
  const parts = await partsOf(
    {
      inventory: options.inventoryUrl ?? options.url,
      tracking: options.trackingUrl ?? options.url,
      history: options.historyUrl ?? options.url,
    },
    options.token,
  );
  if (!parts.tracking.offered) throw new Error(`${parts.tracking.url} has no registerImpressions: is the tracking subgraph running?`);
  const skipped: string[] = [];
  const inventory = parts.inventory.offered ? await seedInventory(parts.inventory.call, seed, progress) : undefined;
  if (!inventory) skipped.push(`inventory: ${parts.inventory.url} has no registerProduct`);
  const tracking = await seedTracking(parts.tracking.call, { seed, impressions, batch, nowMs: (options.now ?? new Date()).getTime() }, progress);
  const history = parts.history.offered
    ? await seedHistory(parts.history.call, { analysisTimeoutMs: options.analysisTimeoutMs ?? 60_000 }, progress)
    : undefined;
  if (!history) skipped.push(`history: ${parts.history.url} has no createEntry`);
  return { ...(inventory ? { inventory } : {}), tracking, ...(history ? { history } : {}), skipped };
}
