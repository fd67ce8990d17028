import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { campaignDecider, validateInstant, validateInstantMs } from '../../../subgraphs/tracking/domain/index.js';
import { createCampaign, expectRejection } from './helpers.js';

describe('instants in tracking commands', () => {
  it('take RFC 3339 date-times with an offset or Z and keep them in UTC', () => {
    expect(validateInstant('2024-03-01T14:00:00.250+02:00', 'startsAt')).toEqual({ iso: '2024-03-01T12:00:00.250Z', ms: Date.UTC(2024, 2, 1, 12, 0, 0, 250) });
    expect(validateInstant('2024-03-01T12:00:00Z', 'startsAt').iso).toBe('2024-03-01T12:00:00.000Z');
    expect(validateInstantMs('2024-03-01T07:00:00-05:00', 'now')).toBe(Date.UTC(2024, 2, 1, 12));
    const [created] = campaignDecider.decide(
      createCampaign({ startsAt: '2024-03-01T01:00:00+01:00', endsAt: '2024-03-31T00:00:00-02:00' }),
      campaignDecider.initialState(),
    );
    expect(created!.data).toMatchObject({ startsAt: '2024-03-01T00:00:00.000Z', endsAt: '2024-03-31T02:00:00.000Z' });
  });

  it('refuses date-times without an offset, or without seconds, with BAD_USER_INPUT naming the field', () => {
    for (const value of ['2024-03-01T12:00:00', '2024-03-01T12:00:00.000', '2024-03-01T12:00Z', '2024-03-01T12:00+01:00', '2024-03-01 12:00:00Z']) {
      expectRejection(() => validateInstant(value, 'occurredAt'), ErrorCode.BAD_USER_INPUT, {
        message: 'occurredAt must be an RFC 3339 date-time with an offset or Z, e.g. 2024-03-01T12:00:00Z',
        extensions: { field: 'occurredAt' },
      });
      expectRejection(() => validateInstantMs(value, 'now'), ErrorCode.BAD_USER_INPUT, { extensions: { field: 'now' } });
    }
  });
});
