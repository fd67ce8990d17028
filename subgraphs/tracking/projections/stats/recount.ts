import type { ActivityEvent, ConversionRegistered } from '../../domain/activity/events.js';
import type { TrackingEvent } from '../../domain/events.js';
import { minorOf } from '../../domain/money.js';
import type { ActivityCounters, CampaignStats, InfluencerStats } from './shape.js';

/**
 * From-scratch recounts, written independently of the incremental reducer (grouping, then
 * counting; revenue re-parsed from the decimal `value.amount` and summed as bigint). Used only
 * by tests and rebuild checks: production stats are never recounted.
 */

/** Recounts the stats of every campaign that has activity in `events`, keyed by campaign id. */
export function recountCampaignStats(events: Iterable<TrackingEvent>): Record<string, CampaignStats> {
  const byCampaign = groupBy(activityOf(events), (event) => event.data.campaignId);
  return Object.fromEntries(
    [...byCampaign].map(([campaignId, list]) => [
      campaignId,
      {
        campaignId,
        ...summarize(list),
        byInfluencer: summarizeGroups(list, (event) => event.data.influencerId),
        hourly: summarizeGroups(list, (event) => hourOf(event.data.occurredAt)),
      },
    ]),
  );
}

/** Recounts the stats of every influencer that has activity in `events`, keyed by influencer id. */
export function recountInfluencerStats(events: Iterable<TrackingEvent>): Record<string, InfluencerStats> {
  const byInfluencer = groupBy(activityOf(events), (event) => event.data.influencerId);
  return Object.fromEntries(
    [...byInfluencer].map(([influencerId, list]) => [
      influencerId,
      {
        influencerId,
        ...summarize(list),
        byCampaign: summarizeGroups(list, (event) => event.data.campaignId),
        hourly: summarizeGroups(list, (event) => hourOf(event.data.occurredAt)),
      },
    ]),
  );
}

function activityOf(events: Iterable<TrackingEvent>): ActivityEvent[] {
  return [...events].filter((event): event is ActivityEvent => event.type === 'ImpressionRegistered' || event.type === 'ConversionRegistered');
}

function summarize(list: readonly ActivityEvent[]): ActivityCounters {
  const conversions = list.filter((event): event is ConversionRegistered => event.type === 'ConversionRegistered');
  const revenue = new Map<string, bigint>();
  for (const { data } of conversions) {
    const minor = BigInt(minorOf(data.value));
    revenue.set(data.value.currency, (revenue.get(data.value.currency) ?? 0n) + minor);
  }
  return {
    impressions: list.length - conversions.length,
    conversions: conversions.length,
    revenue: Object.fromEntries([...revenue].map(([currency, minor]) => [currency, Number(minor)])),
  };
}

function summarizeGroups(list: readonly ActivityEvent[], keyOf: (event: ActivityEvent) => string): Record<string, ActivityCounters> {
  return Object.fromEntries([...groupBy(list, keyOf)].map(([key, group]) => [key, summarize(group)]));
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

// Truncates the UTC ISO form to the hour, deliberately not sharing the reducer's arithmetic.
const hourOf = (occurredAt: string): string => `${new Date(occurredAt).toISOString().slice(0, 13)}:00:00.000Z`;
