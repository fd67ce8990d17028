import type { Platform } from './platform.js';

/** What the influencer decider remembers of its stream. */
export interface InfluencerState {
  readonly registered: boolean;
  readonly handle?: string;
  readonly platform?: Platform;
}

/** The state of an empty influencer stream. */
export const initialInfluencerState = (): InfluencerState => ({ registered: false });
