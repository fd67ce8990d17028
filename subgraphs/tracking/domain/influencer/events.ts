import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { Platform } from './platform.js';

/** An influencer was registered. */
export type InfluencerRegistered = DomainEvent<
  'InfluencerRegistered',
  {
    readonly influencerId: string;
    readonly handle: string;
    readonly platform: Platform;
  }
>;

/** Every event of an influencer stream. */
export type InfluencerEvent = InfluencerRegistered;
