import { notFound } from '../../shared/errors/codes.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { mapAsync } from '../../shared/live/live-events.js';
import type { TrackingContext } from '../context.js';
import { ACTIVITY_CATEGORY, activityStreamId, type ConversionRegistered } from '../domain/index.js';
import { coalesceLatest } from '../live/coalesce.js';
import { conversionRowOf } from '../projections/index.js';

/** Each streamed item resolves with fresh loaders: a subscription's context lives long. */
const fresh = <T>(payload: T, _args: unknown, ctx: TrackingContext): T => {
  ctx.loaders.clearAll();
  return payload;
};

async function requireCampaign(ctx: TrackingContext, campaignId: string): Promise<void> {
  if (!(await ctx.loaders.campaign.load(campaignId))) throw notFound('campaign', campaignId);
}

/**
 * Subscription resolvers. Each item carries its position and every field accepts `after` to
 * resume: replay from the store, then live, without gaps or duplicates.
 */
export const subscriptionResolvers = {
  campaignStatsUpdated: {
    subscribe: async (_: unknown, args: { campaignId: string; after?: string | null }, ctx: TrackingContext) => {
      await requireCampaign(ctx, args.campaignId);
      const streamId = activityStreamId(args.campaignId);
      const events = await ctx.platform.live({
        categories: [ACTIVITY_CATEGORY],
        after: args.after ?? null,
        filter: (event) => event.streamId === streamId,
      });
      // The counters row is read once per coalesced update (O(1)), and it already holds at least
      // every event delivered so far; the item's position is the last event it accounts for.
      return coalesceLatest(events, ctx.statsIntervalMs, async (latest: RecordedEvent) => ({
        ...(await ctx.queries.totals('campaign', args.campaignId)),
        position: latest.position,
      }));
    },
    resolve: fresh,
  },
  conversionRegistered: {
    subscribe: async (_: unknown, args: { campaignId: string; after?: string | null }, ctx: TrackingContext) => {
      await requireCampaign(ctx, args.campaignId);
      const streamId = activityStreamId(args.campaignId);
      const events = await ctx.platform.live({
        categories: [ACTIVITY_CATEGORY],
        after: args.after ?? null,
        filter: (event) => event.streamId === streamId && event.type === 'ConversionRegistered',
      });
      // The conversion exactly as its event recorded it (also during replay).
      return mapAsync(events, (event) => conversionRowOf((event as unknown as ConversionRegistered).data, event.position));
    },
    resolve: fresh,
  },
};
