import type { TrackingContext } from '../context.js';
import type { CampaignStatus, Platform } from '../domain/index.js';
import type { TrackingQueries } from '../read-models/queries.js';

type Page = { first?: number | null; after?: string | null };

/** Query resolvers; list queries are built once per subgraph. */
export function queryResolvers(queries: TrackingQueries) {
  return {
    campaign: (_: unknown, args: { id: string }, ctx: TrackingContext) => ctx.loaders.campaign.load(args.id),
    campaigns: (_: unknown, args: Page & { status?: CampaignStatus | null; productId?: string | null }) => queries.campaigns(args),
    influencer: (_: unknown, args: { id: string }, ctx: TrackingContext) => ctx.loaders.influencer.load(args.id),
    influencers: (_: unknown, args: Page & { platform?: Platform | null }) => queries.influencers(args),
    impression: (_: unknown, args: { id: string }, ctx: TrackingContext) => ctx.loaders.impression.load(args.id),
    conversion: (_: unknown, args: { id: string }, ctx: TrackingContext) => ctx.loaders.conversion.load(args.id),
  };
}
