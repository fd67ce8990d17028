import type { Client } from 'graphql-ws';
import type { TrackingHarness } from '../../support/tracking-harness.js';
import { fails, ok } from '../../support/graphql-assertions.js';
import { pollUntil, sleep, uid } from '../../support/waiting.js';
import { subgraphWsClient } from '../../support/security.js';

export { sleep, uid };

/** Polls `condition` until it holds; fails with `message` after `timeoutMs`. */
export const waitFor = (condition: () => boolean | Promise<boolean>, message = 'condition', timeoutMs = 15_000): Promise<void> =>
  pollUntil(condition, message, timeoutMs);

/** An instant some minutes before now, as ISO. */
export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

// ── GraphQL documents ────────────────────────────────────────────────────────────────────────

export const EVENT_FIELDS = `position streamId version type data occurredAt metadata { correlationId causationId actor idempotencyKey }`;
export const CAMPAIGN_FIELDS = `id name status budget { amount currency } startsAt endsAt productId product { id } version createdAt updatedAt`;
export const INFLUENCER_FIELDS = `id handle platform version createdAt updatedAt`;
export const IMPRESSION_FIELDS = `id campaignId influencerId occurredAt`;
export const CONVERSION_FIELDS = `id position campaignId influencerId value { amount currency } impressionId productId storeId quantity occurredAt`;
export const COUNTER_FIELDS = `impressions conversions conversionRate revenue { amount currency } unitsSold`;
export const STATS_FIELDS = `position campaignId ${COUNTER_FIELDS}`;

export const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { ${CAMPAIGN_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const PAUSE_CAMPAIGN = `mutation($input: PauseCampaignInput!) {
  pauseCampaign(input: $input) { campaign { ${CAMPAIGN_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const RESUME_CAMPAIGN = `mutation($input: ResumeCampaignInput!) {
  resumeCampaign(input: $input) { campaign { ${CAMPAIGN_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const END_CAMPAIGN = `mutation($input: EndCampaignInput!) {
  endCampaign(input: $input) { campaign { ${CAMPAIGN_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const REGISTER_INFLUENCER = `mutation($input: RegisterInfluencerInput!) {
  registerInfluencer(input: $input) { influencer { ${INFLUENCER_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const REGISTER_IMPRESSION = `mutation($input: RegisterImpressionInput!) {
  registerImpression(input: $input) { impression { ${IMPRESSION_FIELDS} } stats { ${STATS_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const REGISTER_IMPRESSIONS = `mutation($input: RegisterImpressionsInput!) {
  registerImpressions(input: $input) {
    impressions { ${IMPRESSION_FIELDS} } accepted duplicates stats { ${STATS_FIELDS} } events { ${EVENT_FIELDS} } replayed
  }
}`;
/** The batch mutation without the per-impression lists (large batches). */
export const REGISTER_IMPRESSIONS_COUNTS = `mutation($input: RegisterImpressionsInput!) {
  registerImpressions(input: $input) { accepted duplicates replayed stats { impressions } }
}`;
export const REGISTER_CONVERSION = `mutation($input: RegisterConversionInput!) {
  registerConversion(input: $input) { conversion { ${CONVERSION_FIELDS} } stats { ${STATS_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;

// ── calls ────────────────────────────────────────────────────────────────────────────────────

export { fails, ok };

/** Creates an ACTIVE campaign that started an hour ago (open-ended unless `endsAt` is given). */
export async function campaign(
  harness: TrackingHarness,
  input: Partial<{ id: string; name: string; startsAt: string; endsAt: string | null; productId: string | null; budget: unknown }> = {},
): Promise<string> {
  const id = input.id ?? uid('c');
  await ok(harness, CREATE_CAMPAIGN, { input: { name: `Campaign ${id}`, startsAt: minutesAgo(60), ...input, id } });
  return id;
}

/** Registers influencers and returns their ids. */
export async function influencers(harness: TrackingHarness, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = uid('i');
    await ok(harness, REGISTER_INFLUENCER, { input: { id, handle: id, platform: 'INSTAGRAM' } });
    ids.push(id);
  }
  return ids;
}

/** Registers a batch and returns the payload (counts only). */
export async function impressions(
  harness: TrackingHarness,
  campaignId: string,
  entries: ReadonlyArray<{ id: string; influencerId: string; occurredAt?: string }>,
): Promise<{ accepted: number; duplicates: number; replayed: boolean; stats: { impressions: number } }> {
  return (await ok(harness, REGISTER_IMPRESSIONS_COUNTS, { input: { campaignId, impressions: entries } })).registerImpressions;
}

// ── graphql-ws ───────────────────────────────────────────────────────────────────────────────

export function wsClient(harness: TrackingHarness): Client {
  return subgraphWsClient(harness.wsUrl);
}

/** Collects what one subscription delivers, with the time each item arrived. */
export class SubscriptionProbe<Item = Record<string, any>> {
  readonly items: Item[] = [];
  readonly arrivals: number[] = [];
  readonly errors: Array<{ message: string; extensions?: Record<string, any> }> = [];
  completed = false;
  private readonly dispose: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.dispose = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...(result.errors as SubscriptionProbe['errors']));
          if (result.data) {
            this.items.push(Object.values(result.data)[0] as Item);
            this.arrivals.push(Date.now());
          }
        },
        error: (error) => {
          this.errors.push(Array.isArray(error) ? (error[0] as SubscriptionProbe['errors'][number]) : { message: String((error as Error).message ?? error) });
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  async waitUntil(condition: (items: Item[]) => boolean, message: string, timeoutMs = 15_000): Promise<Item[]> {
    await waitFor(() => condition(this.items) || this.errors.length > 0, message, timeoutMs);
    if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
    return this.items;
  }

  async waitForItems(count: number, timeoutMs = 15_000): Promise<Item[]> {
    await this.waitUntil((items) => items.length >= count, `${count} subscription items (got ${this.items.length})`, timeoutMs);
    return this.items.slice(0, count);
  }

  stop(): void {
    this.dispose();
  }
}

/** Subscribes and waits until the server's resolver has subscribed to the bus, so events committed from now on reach it live. */
export async function subscribeLive<Item = Record<string, any>>(
  harness: TrackingHarness,
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Promise<SubscriptionProbe<Item>> {
  const before = harness.busSubscriptions();
  const probe = new SubscriptionProbe<Item>(client, query, variables);
  await waitFor(() => harness.busSubscriptions() >= before + 1 || probe.errors.length > 0, 'the bus subscription');
  if (probe.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(probe.errors)}`);
  return probe;
}
