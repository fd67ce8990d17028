import type { GraphQLCall } from './client.js';
import type { SeedProgress } from './progress.js';
import {
  CAMPAIGNS,
  ENDED_CAMPAIGN,
  HANDLES,
  PAUSED_CAMPAIGN,
  PLATFORMS,
  STORES,
  campaignId,
  influencerId,
  itemRandom,
  productId,
  storeId,
  weighted,
} from './world.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Activity happens in this many days before now. */
const ACTIVITY_DAYS = 14;
/** A campaign runs from this long before its creation to this long after it. */
const CAMPAIGN_HALF_WINDOW_MS = 30 * DAY_MS;
/** Share of impressions that convert. */
const CONVERSION_SHARE = 0.025;
/** Conversions sent at once. */
const CONVERSION_CONCURRENCY = 8;

/** What the tracking phase did. */
export interface TrackingSeedReport {
  readonly influencers: number;
  readonly campaigns: number;
  readonly impressions: number;
  readonly conversions: number;
  /** Activity an earlier run had recorded already. */
  readonly duplicates: number;
  /** Campaigns left as an earlier run made them, with their status. */
  readonly skipped: string[];
}

export interface TrackingSeedOptions {
  readonly seed: number;
  /** Impressions over all campaigns. */
  readonly impressions: number;
  /** Impressions per registerImpressions batch. */
  readonly batch: number;
  readonly nowMs: number;
}

/** An instant of the last days before `nowMs`, evenings busier than nights, never ahead of now. */
function occurredAt(next: () => number, nowMs: number): number {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const day = Math.floor(next() * ACTIVITY_DAYS);
  const hourWeights = Array.from({ length: 24 }, (_, hour) => (hour >= 17 && hour <= 22 ? 6 : hour >= 8 ? 3 : 1));
  let roll = next() * hourWeights.reduce((sum, weight) => sum + weight, 0);
  let hour = 0;
  while (hour < 23 && (roll -= hourWeights[hour]!) > 0) hour += 1;
  const at = today - day * DAY_MS + hour * HOUR_MS + Math.floor(next() * HOUR_MS);
  // An hour of today still ahead falls on the day before.
  return at < nowMs ? at : at - DAY_MS;
}

/**
 * Campaigns are created once: their window is relative to the first run (started 30 days before
 * it, ending 30 days after), so a rerun finds them by id instead of sending different dates
 * under the same idempotency key.
 */
async function ensureCampaign(call: GraphQLCall, index: number, nowMs: number): Promise<void> {
  const id = campaignId(index);
  const existing = await call<{ campaign: { id: string } | null }>(`query SeedCampaignExists($id: ID!) { campaign(id: $id) { id } }`, { id });
  if (existing.campaign) return;
  const spec = CAMPAIGNS[index]!;
  await call(`mutation SeedCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { replayed } }`, {
    input: {
      id,
      name: spec.name,
      budget: { amount: spec.budget, currency: spec.currency },
      startsAt: new Date(nowMs - CAMPAIGN_HALF_WINDOW_MS).toISOString(),
      endsAt: new Date(nowMs + CAMPAIGN_HALF_WINDOW_MS).toISOString(),
      productId: productId(spec.product),
      idempotencyKey: `seed:campaign:${index + 1}`,
    },
  });
}

interface PlannedItem {
  readonly impression: { id: string; influencerId: string; occurredAt: string };
  readonly conversion?: Record<string, unknown>;
}

/** The impressions `offset + 1 … offset + count` of a campaign, and the conversions some lead to. */
function plannedItems(options: TrackingSeedOptions, campaign: number, team: readonly number[], offset: number, count: number): PlannedItem[] {
  const reach = team.map((influencer) => 1 / (influencer + 1) ** 0.9);
  const spec = CAMPAIGNS[campaign]!;
  return Array.from({ length: count }, (_, index) => {
    const number = offset + index + 1;
    const next = itemRandom(options.seed, campaign + 1, number);
    const impression = {
      id: `seed-imp-${campaign + 1}-${number}`,
      influencerId: influencerId(weighted(team, reach, next)),
      occurredAt: new Date(occurredAt(next, options.nowMs)).toISOString(),
    };
    if (next() >= CONVERSION_SHARE) return { impression };
    // It converts a few minutes later, in one of the stores.
    const conversion = {
      campaignId: campaignId(campaign),
      id: `seed-conv-${campaign + 1}-${number}`,
      influencerId: impression.influencerId,
      impressionId: impression.id,
      value: { amount: (5 + Math.floor(next() * 19_500) / 100).toFixed(2), currency: spec.currency },
      storeId: storeId(Math.floor(next() * STORES.length)),
      quantity: 1 + Math.floor(next() * 3),
      occurredAt: new Date(Math.min(Date.parse(impression.occurredAt) + Math.floor(next() * 30) * 60_000, options.nowMs)).toISOString(),
    };
    return { impression, conversion };
  });
}

/**
 * Influencers, campaigns, then impressions in batches and the conversions they lead to. Ids are
 * deterministic: a rerun replays what is recorded and counts nothing twice.
 */
export async function seedTracking(call: GraphQLCall, options: TrackingSeedOptions, progress: SeedProgress): Promise<TrackingSeedReport> {
  const setup = progress.phase('tracking', HANDLES.length + CAMPAIGNS.length, 'commands');
  for (const [index, handle] of HANDLES.entries()) {
    await call(`mutation SeedInfluencer($input: RegisterInfluencerInput!) { registerInfluencer(input: $input) { replayed } }`, {
      input: { id: influencerId(index), handle, platform: PLATFORMS[index], idempotencyKey: `seed:influencer:${index + 1}` },
    });
    setup.advance(1, handle);
  }
  for (const [index, spec] of CAMPAIGNS.entries()) {
    await ensureCampaign(call, index, options.nowMs);
    setup.advance(1, spec.name);
  }
  setup.finish();

  const weights = CAMPAIGNS.reduce((sum, spec) => sum + spec.weight, 0);
  const plan = CAMPAIGNS.map((spec, index) => {
    const teamRandom = itemRandom(options.seed, index + 1);
    const team = HANDLES.map((_, influencer) => influencer).filter(() => teamRandom() < 0.6);
    return { campaign: index, impressions: Math.round((options.impressions * spec.weight) / weights), team: team.length > 0 ? team : [0] };
  });
  const activity = progress.phase('activity', options.impressions, 'impressions');
  const totals = { impressions: 0, conversions: 0, duplicates: 0 };
  const skipped: string[] = [];

  for (const { campaign, impressions, team } of plan) {
    const id = campaignId(campaign);
    const name = CAMPAIGNS[campaign]!.name;
    // A campaign paused, ended or past its end accepts no activity: what it has stays.
    const { campaign: current } = await call<{ campaign: { status: string } | null }>(`query SeedCampaignStatus($id: ID!) { campaign(id: $id) { status } }`, {
      id,
    });
    if (current?.status !== 'ACTIVE') {
      skipped.push(`${name} (${current?.status ?? 'missing'})`);
      activity.advance(impressions, name);
      continue;
    }
    for (let offset = 0; offset < impressions; offset += options.batch) {
      const items = plannedItems(options, campaign, team, offset, Math.min(options.batch, impressions - offset));
      const data = await call<{ registerImpressions: { accepted: number; duplicates: number } }>(
        `mutation SeedImpressions($input: RegisterImpressionsInput!) { registerImpressions(input: $input) { accepted duplicates } }`,
        { input: { campaignId: id, impressions: items.map((item) => item.impression) } },
      );
      totals.impressions += data.registerImpressions.accepted;
      totals.duplicates += data.registerImpressions.duplicates;

      const conversions = items.flatMap((item) => (item.conversion ? [item.conversion] : []));
      for (let index = 0; index < conversions.length; index += CONVERSION_CONCURRENCY) {
        const results = await Promise.all(
          conversions
            .slice(index, index + CONVERSION_CONCURRENCY)
            .map((input) =>
              call<{ registerConversion: { replayed: boolean } }>(
                `mutation SeedConversion($input: RegisterConversionInput!) { registerConversion(input: $input) { replayed } }`,
                { input },
              ),
            ),
        );
        for (const result of results) {
          if (result.registerConversion.replayed) totals.duplicates += 1;
          else totals.conversions += 1;
        }
      }
      activity.advance(items.length, name);
    }
  }
  activity.finish();

  // A little lifecycle variety: one campaign paused, one ended (replayed on later runs).
  await call(`mutation SeedPause($input: PauseCampaignInput!) { pauseCampaign(input: $input) { replayed } }`, {
    input: { campaignId: campaignId(PAUSED_CAMPAIGN), idempotencyKey: `seed:pause:${PAUSED_CAMPAIGN + 1}` },
  });
  await call(`mutation SeedEnd($input: EndCampaignInput!) { endCampaign(input: $input) { replayed } }`, {
    input: { campaignId: campaignId(ENDED_CAMPAIGN), idempotencyKey: `seed:end:${ENDED_CAMPAIGN + 1}` },
  });
  return { influencers: HANDLES.length, campaigns: CAMPAIGNS.length, ...totals, skipped };
}
