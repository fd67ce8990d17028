import type { AnyStreamProjection } from '../../shared/projections/stream-projection.js';
import { activityProjection } from './activity-projection.js';
import { campaignProjection } from './campaign-projection.js';
import { influencerProjection } from './influencer-projection.js';

export * from './campaign-projection.js';
export * from './influencer-projection.js';
export * from './activity-projection.js';

/** Every tracking read model, for rebuilds. */
export const trackingProjections: readonly AnyStreamProjection[] = [campaignProjection, influencerProjection, activityProjection];
