import { defineEvents, type EventSchema } from '../../shared/event-store/event-schema.js';
import type { ActivityEvent } from './activity/events.js';
import type { CampaignEvent } from './campaign/events.js';
import type { InfluencerEvent } from './influencer/events.js';
import { trackingUpcasters } from './upcasters.js';

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

/** Every tracking event as stored: its types and the upcasters of older shapes (see upcasters.ts). */
export const TRACKING_EVENTS: EventSchema<TrackingEvent> = defineEvents<TrackingEvent>(eventTypes, trackingUpcasters);

/** The events of a `campaign-<id>` stream. */
export const CAMPAIGN_EVENTS: EventSchema<CampaignEvent> = defineEvents<CampaignEvent>(
  { CampaignCreated: true, CampaignPaused: true, CampaignResumed: true, CampaignEnded: true },
  trackingUpcasters,
);

/** The events of an `influencer-<id>` stream. */
export const INFLUENCER_EVENTS: EventSchema<InfluencerEvent> = defineEvents<InfluencerEvent>({ InfluencerRegistered: true }, trackingUpcasters);

/** The events of an `activity-<campaignId>` stream. */
export const ACTIVITY_EVENTS: EventSchema<ActivityEvent> = defineEvents<ActivityEvent>(
  { ImpressionRegistered: true, ConversionRegistered: true },
  trackingUpcasters,
);
