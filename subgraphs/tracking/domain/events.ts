import type { ActivityEvent } from './activity/events.js';
import type { CampaignEvent } from './campaign/events.js';
import type { InfluencerEvent } from './influencer/events.js';

/** Every event the tracking subgraph records: campaign, influencer and activity events. */
export type TrackingEvent = CampaignEvent | InfluencerEvent | ActivityEvent;

/** The `type` tag of any tracking event. */
export type TrackingEventType = TrackingEvent['type'];

// A record keyed by the union: the compiler rejects a missing or unknown type.
const eventTypes = {
  CampaignCreated: true,
  CampaignPaused: true,
  CampaignResumed: true,
  CampaignEnded: true,
  InfluencerRegistered: true,
  ImpressionRegistered: true,
  ConversionRegistered: true,
} as const satisfies Record<TrackingEventType, true>;

/** Every tracking event type, for registries and subscription filters. */
export const TRACKING_EVENT_TYPES = Object.freeze(Object.keys(eventTypes) as TrackingEventType[]);

/** Whether a stored event's type belongs to the tracking domain. */
export const isTrackingEventType = (type: string): type is TrackingEventType => Object.hasOwn(eventTypes, type);
