import { notFound } from '../../shared/errors/codes.js';
import { freshItem } from '../../shared/graphql/request-loaders.js';
import type { ItemSubscriptions } from '../../shared/graphql/subscriptions.js';
import { mapAsync } from '../../shared/live/live-events.js';
import type { TrackingContext } from '../context.js';
import { ACTIVITY_CATEGORY, ACTIVITY_EVENTS, activityStreamId } from '../domain/index.js';
import { coalesceLatest } from '../live/coalesce.js';
import { conversionRowOf } from '../projections/index.js';
import type { StatsView } from '../read-models/rows.js';
import type { SubscriptionResolvers } from './resolvers-types.generated.js';

/** What tells two reads of a subject's total counters apart. */
const statsFingerprint = (stats: StatsView): string =>
  `${stats.position}|${stats.updatedAt?.getTime() ?? ''}|${stats.impressions}|${stats.conversions}|${stats.units}|${JSON.stringify(stats.revenue)}`;

async function requireCampaign(ctx: TrackingContext, campaignId: string): Promise<void> {
  if (!(await ctx.loaders.campaign.load(campaignId))) throw notFound('campaign', campaignId);
}

/**
 * Subscription resolvers. Each item carries its position and every field accepts `after` to
 * resume: replay from the store, then live, without gaps or duplicates.
 */
export const subscriptionResolvers: ItemSubscriptions<SubscriptionResolvers, TrackingContext> = {
  campaignStatsUpdated: {
    subscribe: async (_, args, ctx) => {
      await requireCampaign(ctx, args.campaignId);
      // Commit notices make updates prompt; the activity events (replayed after `after`) make them certain.
      const changes = await ctx.platform.changes({ streamId: activityStreamId(args.campaignId), after: args.after ?? null });
      // The counters row is read once per coalesced update (O(1)). Most changes come twice (notice,
      // then event), and a read that finds the stats as last sent sends nothing.
      let lastSent: string | undefined;
      return coalesceLatest(changes, ctx.statsIntervalMs, async () => {
        const stats = await ctx.queries.totals('campaign', args.campaignId);
        const fingerprint = statsFingerprint(stats);
        if (fingerprint === lastSent) return undefined;
        lastSent = fingerprint;
        return stats;
      });
    },
    resolve: freshItem,
  },
  conversionRegistered: {
    subscribe: async (_, args, ctx) => {
      await requireCampaign(ctx, args.campaignId);
      const streamId = activityStreamId(args.campaignId);
      const events = await ctx.platform.live({
        categories: [ACTIVITY_CATEGORY],
        after: args.after ?? null,
        events: ACTIVITY_EVENTS.only('ConversionRegistered'),
        filter: (event) => event.streamId === streamId,
      });
      // The conversion exactly as its event recorded it (also during replay), in its current shape.
      return mapAsync(events, (event) => conversionRowOf(event.data, event.position));
    },
    resolve: freshItem,
  },
};
