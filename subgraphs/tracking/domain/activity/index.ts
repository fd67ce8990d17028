export type { RegisterImpression, RegisterConversion, ImpressionInput, ConversionInput, ActivityCommand } from './commands.js';
export type { ImpressionRegistered, ConversionRegistered, ActivityEvent } from './events.js';
export { activeCampaign, activityWindow, occurredWithin, ensureInfluencer, type ActivityWindow, type InfluencerExists } from './campaign-rules.js';
export { decideImpressions } from './impressions.js';
export { decideConversion, type ImpressionLookup } from './conversion.js';
