/** The pure tracking domain: deciders, activity rules, money, events, commands and stream names. No I/O. */
export * from './streams/index.js';
export * from './rules/index.js';
export * from './money.js';
export * from './iso-4217.js';
export * from './campaign/index.js';
export * from './influencer/index.js';
export * from './activity/index.js';
export type { TrackingEvent, TrackingEventType } from './events.js';
export { TRACKING_EVENT_TYPES, isTrackingEventType, TRACKING_EVENTS, CAMPAIGN_EVENTS, INFLUENCER_EVENTS, ACTIVITY_EVENTS } from './events.js';
export { trackingUpcasters, upcastConversionRegistered, upcastCampaignCreated, type ConversionRegisteredV1, type CampaignCreatedV1 } from './upcasters.js';
export type { TrackingCommand, TrackingCommandType } from './commands.js';
