import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { DateTimeScalar, JSONScalar } from '../shared/graphql/scalars.js';
import type { Platform } from '../shared/platform.js';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition.js';
import { trackingCommands } from './commands/tracking-commands.js';
import type { TrackingContext } from './context.js';
import { createTrackingLoaders } from './read-models/loaders.js';
import { trackingQueries } from './read-models/queries.js';
import { entityResolvers } from './resolvers/entities.js';
import type { Resolvers } from './resolvers/resolvers-types.generated.js';
import { mutationResolvers, payloadResolvers } from './resolvers/mutations.js';
import { queryResolvers } from './resolvers/queries.js';
import { subscriptionResolvers } from './resolvers/subscriptions.js';

/** The tracking SDL, as composed into the supergraph. */
export const trackingTypeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Default coalescing interval of `campaignStatsUpdated` (ms). */
export const DEFAULT_STATS_INTERVAL_MS = 100;

export interface TrackingOptions {
  /**
   * At most one `campaignStatsUpdated` item per campaign subscription per interval (ms). Defaults to
   * TRACKING_STATS_INTERVAL_MS from the environment, else 100.
   */
  readonly statsIntervalMs?: number;
}

function statsIntervalFrom(options: TrackingOptions): number {
  const configured = options.statsIntervalMs ?? Number(process.env.TRACKING_STATS_INTERVAL_MS ?? DEFAULT_STATS_INTERVAL_MS);
  if (!Number.isFinite(configured) || configured < 0) throw new Error(`invalid stats interval ${configured}`);
  return configured;
}

/** Campaigns, influencers, impressions, conversions and their live stats, event-sourced. */
export function trackingSubgraph(platform: Platform, options: TrackingOptions = {}): SubgraphDefinition<TrackingContext> {
  const commands = trackingCommands(platform);
  const queries = trackingQueries(platform);
  const statsIntervalMs = statsIntervalFrom(options);
  const resolvers: Resolvers = {
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    Query: queryResolvers(queries),
    Mutation: mutationResolvers,
    Subscription: subscriptionResolvers,
    ...entityResolvers,
    ...payloadResolvers,
  };
  return {
    name: 'tracking',
    typeDefs: trackingTypeDefs,
    resolvers,
    createContext: (base) => ({
      ...base,
      platform,
      commands,
      queries,
      statsIntervalMs,
      loaders: createTrackingLoaders(platform.db.kysely),
    }),
  };
}
