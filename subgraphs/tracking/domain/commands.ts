import type { ActivityCommand } from './activity/commands.js';
import type { CampaignCommand } from './campaign/commands.js';
import type { InfluencerCommand } from './influencer/commands.js';

/** Every command the tracking subgraph decides. */
export type TrackingCommand = CampaignCommand | InfluencerCommand | ActivityCommand;

/** The `type` tag of any tracking command. */
export type TrackingCommandType = TrackingCommand['type'];
