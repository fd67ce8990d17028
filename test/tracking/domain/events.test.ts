import { describe, expect, it } from 'vitest';
import { TRACKING_EVENT_TYPES, isTrackingEventType, type TrackingCommandType } from '../../../subgraphs/tracking/domain/index.js';

describe('tracking event registry', () => {
  it('lists every tracking event type', () => {
    expect([...TRACKING_EVENT_TYPES].sort()).toEqual([
      'CampaignCreated',
      'CampaignEnded',
      'CampaignPaused',
      'CampaignResumed',
      'ConversionRegistered',
      'ImpressionRegistered',
      'InfluencerRegistered',
    ]);
  });

  it('recognises only tracking event types', () => {
    expect(isTrackingEventType('ImpressionRegistered')).toBe(true);
    expect(isTrackingEventType('StockAdded')).toBe(false);
    expect(isTrackingEventType('toString')).toBe(false);
  });

  it('covers every tracking command in the command union', () => {
    const commands = {
      CreateCampaign: true,
      PauseCampaign: true,
      ResumeCampaign: true,
      EndCampaign: true,
      RegisterInfluencer: true,
      RegisterImpression: true,
      RegisterConversion: true,
    } as const satisfies Record<TrackingCommandType, true>;
    expect(Object.keys(commands)).toHaveLength(7);
  });
});
