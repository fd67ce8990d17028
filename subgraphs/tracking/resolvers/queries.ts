import type { TrackingQueries } from '../read-models/queries.js';
import type { QueryResolvers } from './resolvers-types.generated.js';

/** Query resolvers; list queries are built once per subgraph. */
export function queryResolvers(queries: TrackingQueries): Required<QueryResolvers> {
  return {
    campaign: (_, args, ctx) => ctx.loaders.campaign.load(args.id),
    campaigns: (_, args) => queries.campaigns(args),
    influencer: (_, args, ctx) => ctx.loaders.influencer.load(args.id),
    influencers: (_, args) => queries.influencers(args),
    impression: (_, args, ctx) => ctx.loaders.impression.load(args.id),
    conversion: (_, args, ctx) => ctx.loaders.conversion.load(args.id),
  };
}
