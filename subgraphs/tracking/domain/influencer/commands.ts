import type { Platform } from './platform.js';

/** Registers an influencer; decided against stream `influencer-<influencerId>`. */
export interface RegisterInfluencer {
  readonly type: 'RegisterInfluencer';
  readonly influencerId: string;
  /** 1..100 characters of `[A-Za-z0-9_.]` (no leading `@`). */
  readonly handle: string;
  readonly platform: Platform;
}

/** Every command the influencer decider accepts. */
export type InfluencerCommand = RegisterInfluencer;
