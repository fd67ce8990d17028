export type { RegisterInfluencer, InfluencerCommand } from './commands.js';
export type { InfluencerRegistered, InfluencerEvent } from './events.js';
export { PLATFORMS, isPlatform, validatePlatform, type Platform } from './platform.js';
export { initialInfluencerState, type InfluencerState } from './state.js';
export { decideInfluencer, evolveInfluencer, validateHandle, influencerDecider } from './decider.js';
