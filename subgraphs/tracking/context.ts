import type { Platform } from '../shared/platform.js';
import type { RequestContext } from '../shared/server/request-context.js';
import type { TrackingCommands } from './commands/tracking-commands.js';
import type { TrackingLoaders } from './read-models/loaders.js';
import type { TrackingQueries } from './read-models/queries.js';

/** The context of every tracking resolver. */
export interface TrackingContext extends RequestContext {
  readonly platform: Platform;
  readonly commands: TrackingCommands;
  readonly queries: TrackingQueries;
  readonly loaders: TrackingLoaders;
  /** Coalescing interval of `campaignStatsUpdated`. */
  readonly statsIntervalMs: number;
}
