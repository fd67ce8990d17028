import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { campaignDecider, campaignStreamId, type CreateCampaign } from '../../../subgraphs/tracking/domain/index.js';
import { C, T0, T_END, activeCampaign, at, campaignAfter, createCampaign, decide, expectRejection, lifecycle } from './helpers.js';

const fresh = campaignDecider.initialState();

const rejectsField = (overrides: Partial<CreateCampaign>, field: string): void => {
  expectRejection(() => decide(createCampaign(overrides), fresh), ErrorCode.BAD_USER_INPUT, {
    extensions: { field },
  });
};

describe('campaign decider: creation', () => {
  it('creates a campaign with normalised fields', () => {
    const events = decide(
      createCampaign({
        name: '  Spring launch ',
        budget: { amount: '1000', currency: 'EUR' },
        startsAt: '2024-03-01T14:00:00+02:00',
      }),
      fresh,
    );
    expect(events).toEqual([
      {
        type: 'CampaignCreated',
        data: {
          schemaVersion: 2,
          campaignId: C,
          name: 'Spring launch',
          budget: { amount: '1000.00', currency: 'EUR' },
          startsAt: T0,
          endsAt: T_END,
          productId: 'p1',
        },
      },
    ]);
  });

  it('records missing budget, end and product as null and starts ACTIVE', () => {
    const state = campaignAfter(createCampaign({ budget: undefined, endsAt: undefined, productId: null }));
    expect(state).toEqual({
      created: true,
      campaignId: C,
      name: 'Spring launch',
      status: 'ACTIVE',
      budget: null,
      startsAt: T0,
      endsAt: null,
      productId: null,
    });
  });

  it('rejects creating the same campaign twice', () => {
    expectRejection(() => decide(createCampaign(), activeCampaign()), ErrorCode.BAD_USER_INPUT, {
      message: 'campaign c1 already exists',
      extensions: { field: 'campaignId' },
    });
  });

  it('rejects a blank or too long name and accepts 200 characters', () => {
    rejectsField({ name: '   ' }, 'name');
    rejectsField({ name: 'n'.repeat(201) }, 'name');
    expect(decide(createCampaign({ name: 'n'.repeat(200) }), fresh)).toHaveLength(1);
  });

  it('rejects an end that is not later than the start', () => {
    rejectsField({ endsAt: T0 }, 'endsAt');
    rejectsField({ endsAt: at(-1) }, 'endsAt');
  });

  it('rejects malformed instants', () => {
    rejectsField({ startsAt: 'yesterday' }, 'startsAt');
    rejectsField({ startsAt: '2024-03-01' }, 'startsAt');
    rejectsField({ startsAt: '2024-02-30T00:00:00Z' }, 'startsAt');
    rejectsField({ startsAt: '2024-03-01T24:00:00Z' }, 'startsAt');
    rejectsField({ endsAt: 'March 5, 2024' }, 'endsAt');
  });

  it('rejects a negative, malformed or wrongly denominated budget', () => {
    rejectsField({ budget: { amount: '-1.00', currency: 'EUR' } }, 'budget.amount');
    rejectsField({ budget: { amount: '1.005', currency: 'EUR' } }, 'budget.amount');
    rejectsField({ budget: { amount: '1.00', currency: 'euro' } }, 'budget.currency');
  });

  it('rejects empty or too long ids', () => {
    rejectsField({ campaignId: '' }, 'campaignId');
    rejectsField({ campaignId: 'c'.repeat(101) }, 'campaignId');
    rejectsField({ productId: ' p1' }, 'productId');
  });

  it('names its stream campaign-<id>', () => {
    expect(campaignStreamId(C)).toBe('campaign-c1');
  });
});

describe('campaign decider: lifecycle', () => {
  it('pauses an ACTIVE campaign', () => {
    expect(decide(lifecycle.pause(), activeCampaign())).toEqual([{ type: 'CampaignPaused', data: { campaignId: C, pausedAt: at(60) } }]);
    expect(campaignAfter(createCampaign(), lifecycle.pause())).toMatchObject({ status: 'PAUSED' });
  });

  it('resumes a PAUSED campaign', () => {
    const paused = campaignAfter(createCampaign(), lifecycle.pause());
    expect(decide(lifecycle.resume(), paused)).toEqual([{ type: 'CampaignResumed', data: { campaignId: C, resumedAt: at(120) } }]);
    expect(campaignAfter(createCampaign(), lifecycle.pause(), lifecycle.resume())).toMatchObject({ status: 'ACTIVE' });
  });

  it('ends an ACTIVE or a PAUSED campaign', () => {
    expect(decide(lifecycle.end(), activeCampaign())).toEqual([{ type: 'CampaignEnded', data: { campaignId: C, endedAt: at(180) } }]);
    expect(campaignAfter(createCampaign(), lifecycle.pause(), lifecycle.end())).toMatchObject({ status: 'ENDED' });
  });

  it('rejects pausing a campaign that is not ACTIVE, naming its status', () => {
    const paused = campaignAfter(createCampaign(), lifecycle.pause());
    expectRejection(() => decide(lifecycle.pause(), paused), ErrorCode.BAD_USER_INPUT, {
      message: 'campaign c1 is PAUSED; only a campaign that is ACTIVE can be paused',
      extensions: { field: 'campaignId', status: 'PAUSED' },
    });
    const ended = campaignAfter(createCampaign(), lifecycle.end());
    expectRejection(() => decide(lifecycle.pause(), ended), ErrorCode.BAD_USER_INPUT, { message: /is ENDED/ });
  });

  it('rejects resuming a campaign that is not PAUSED', () => {
    expectRejection(() => decide(lifecycle.resume(), activeCampaign()), ErrorCode.BAD_USER_INPUT, {
      message: 'campaign c1 is ACTIVE; only a campaign that is PAUSED can be resumed',
    });
    const ended = campaignAfter(createCampaign(), lifecycle.end());
    expectRejection(() => decide(lifecycle.resume(), ended), ErrorCode.BAD_USER_INPUT, { message: /is ENDED/ });
  });

  it('rejects ending a campaign twice', () => {
    const ended = campaignAfter(createCampaign(), lifecycle.end());
    expectRejection(() => decide(lifecycle.end(), ended), ErrorCode.BAD_USER_INPUT, {
      message: 'campaign c1 is ENDED; only a campaign that is ACTIVE or PAUSED can be ended',
      extensions: { field: 'campaignId', status: 'ENDED' },
    });
  });

  it('reports a lifecycle command on a missing campaign as NOT_FOUND', () => {
    for (const command of [lifecycle.pause(), lifecycle.resume(), lifecycle.end()]) {
      expectRejection(() => decide(command, fresh), ErrorCode.NOT_FOUND, { message: 'campaign c1 was not found' });
    }
  });

  it('rejects a lifecycle command without a valid now', () => {
    expectRejection(() => decide(lifecycle.pause('now'), activeCampaign()), ErrorCode.BAD_USER_INPUT, {
      extensions: { field: 'now' },
    });
  });
});
