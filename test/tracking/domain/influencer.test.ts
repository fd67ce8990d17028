import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../../subgraphs/shared/decider/decider.js';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { PLATFORMS, influencerDecider, influencerStreamId, type InfluencerEvent, type RegisterInfluencer } from '../../../subgraphs/tracking/domain/index.js';
import { expectRejection } from './helpers.js';

const register = (overrides: Partial<RegisterInfluencer> = {}): RegisterInfluencer => ({
  type: 'RegisterInfluencer',
  influencerId: 'i1',
  handle: 'ana.garcia_88',
  platform: 'INSTAGRAM',
  ...overrides,
});

const decideFresh = (command: RegisterInfluencer): InfluencerEvent[] => influencerDecider.decide(command, influencerDecider.initialState());

const rejectsField = (overrides: Partial<RegisterInfluencer>, field: string): void => {
  expectRejection(() => decideFresh(register(overrides)), ErrorCode.BAD_USER_INPUT, { extensions: { field } });
};

describe('influencer decider', () => {
  it('registers an influencer and remembers it', () => {
    const events = decideFresh(register());
    expect(events).toEqual([{ type: 'InfluencerRegistered', data: { influencerId: 'i1', handle: 'ana.garcia_88', platform: 'INSTAGRAM' } }]);
    expect(foldEvents(influencerDecider, events)).toEqual({
      registered: true,
      handle: 'ana.garcia_88',
      platform: 'INSTAGRAM',
    });
  });

  it('accepts every platform of the enum', () => {
    expect(PLATFORMS).toEqual(['INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'TWITCH', 'X', 'OTHER']);
    for (const platform of PLATFORMS) expect(decideFresh(register({ platform }))[0]?.data.platform).toBe(platform);
  });

  it('rejects registering the same influencer twice', () => {
    const state = foldEvents(influencerDecider, decideFresh(register()));
    expectRejection(() => influencerDecider.decide(register(), state), ErrorCode.BAD_USER_INPUT, {
      message: 'influencer i1 is already registered',
      extensions: { field: 'influencerId' },
    });
  });

  it('rejects handles with other characters, empty or longer than 100', () => {
    for (const handle of ['@ana', 'ana garcia', 'ana-garcia', 'añá', '', 'h'.repeat(101)]) rejectsField({ handle }, 'handle');
    expect(decideFresh(register({ handle: 'h'.repeat(100) }))).toHaveLength(1);
  });

  it('rejects an unknown platform', () => {
    rejectsField({ platform: 'MYSPACE' as RegisterInfluencer['platform'] }, 'platform');
    rejectsField({ platform: 'instagram' as RegisterInfluencer['platform'] }, 'platform');
  });

  it('rejects an empty influencer id and names its stream influencer-<id>', () => {
    rejectsField({ influencerId: '' }, 'influencerId');
    expect(influencerStreamId('i1')).toBe('influencer-i1');
  });
});
