import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import {
  CREATE_CAMPAIGN,
  END_CAMPAIGN,
  PAUSE_CAMPAIGN,
  REGISTER_CONVERSION,
  REGISTER_IMPRESSION,
  REGISTER_IMPRESSIONS,
  REGISTER_INFLUENCER,
  RESUME_CAMPAIGN,
  campaign,
  fails,
  impressions,
  influencers,
  minutesAgo,
  ok,
  uid,
} from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

let harness: TrackingHarness;
let influencerId: string;
let otherInfluencerId: string;

beforeAll(async () => {
  harness = await startTrackingHarness();
  [influencerId, otherInfluencerId] = (await influencers(harness, 2)) as [string, string];
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
}, HOOK_TIMEOUT_MS);

/** Event count and every tracking table, to prove that a rejected command wrote nothing. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const { sql } = harness.platform.db;
  const queries: Record<string, string> = {
    events: 'SELECT position FROM events ORDER BY position',
    campaigns: 'SELECT * FROM campaigns ORDER BY id',
    impressions: 'SELECT * FROM impressions ORDER BY id',
    conversions: 'SELECT * FROM conversions ORDER BY id',
    counters: 'SELECT * FROM tracking_counters ORDER BY scope, subject_id, dimension, key',
    revenue: 'SELECT * FROM tracking_revenue ORDER BY scope, subject_id, dimension, key, currency',
  };
  const result: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(queries)) result[name] = await sql.query(query);
  return result;
}

/** Expects the operation to fail with `code` (and `field` when given) and to leave the database unchanged. */
async function rejects(code: string, query: string, variables: Record<string, unknown>, field?: string) {
  const before = await snapshot();
  const error = await fails(harness, code, query, variables);
  if (field !== undefined) expect(error.extensions?.field).toBe(field);
  expect(await snapshot()).toEqual(before);
  return error;
}

const impression = (campaignId: string, overrides: Record<string, unknown> = {}) => ({
  input: { campaignId, id: uid('imp'), influencerId, occurredAt: minutesAgo(1), ...overrides },
});
const conversion = (campaignId: string, overrides: Record<string, unknown> = {}) => ({
  input: { campaignId, id: uid('conv'), influencerId, value: { amount: '10.00', currency: 'EUR' }, occurredAt: minutesAgo(1), ...overrides },
});

describe('unknown ids are NOT_FOUND', () => {
  it('an impression or conversion of an unknown campaign', async () => {
    await rejects('NOT_FOUND', REGISTER_IMPRESSION, impression('no-such-campaign'));
    await rejects('NOT_FOUND', REGISTER_IMPRESSIONS, { input: { campaignId: 'no-such-campaign', impressions: [{ id: uid('imp'), influencerId }] } });
    await rejects('NOT_FOUND', REGISTER_CONVERSION, conversion('no-such-campaign'));
  });

  it('an impression or conversion of an unknown influencer', async () => {
    const campaignId = await campaign(harness);
    const error = await rejects('NOT_FOUND', REGISTER_IMPRESSION, impression(campaignId, { influencerId: 'ghost' }));
    expect(error.extensions?.id).toBe('ghost');
    await rejects('NOT_FOUND', REGISTER_CONVERSION, conversion(campaignId, { influencerId: 'ghost' }));
  });

  it('a conversion naming an unknown impression', async () => {
    const campaignId = await campaign(harness);
    await rejects('NOT_FOUND', REGISTER_CONVERSION, conversion(campaignId, { impressionId: 'no-such-impression' }));
  });

  it('pausing, resuming or ending an unknown campaign', async () => {
    await rejects('NOT_FOUND', PAUSE_CAMPAIGN, { input: { campaignId: 'missing' } });
    await rejects('NOT_FOUND', RESUME_CAMPAIGN, { input: { campaignId: 'missing' } });
    await rejects('NOT_FOUND', END_CAMPAIGN, { input: { campaignId: 'missing' } });
  });
});

describe('campaign status and dates', () => {
  it('no impressions or conversions on a paused campaign, until it is resumed', async () => {
    const campaignId = await campaign(harness);
    await ok(harness, PAUSE_CAMPAIGN, { input: { campaignId } });
    const error = await rejects('BAD_USER_INPUT', REGISTER_IMPRESSION, impression(campaignId));
    expect(error.extensions?.status).toBe('PAUSED');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId));
    await ok(harness, RESUME_CAMPAIGN, { input: { campaignId } });
    await ok(harness, REGISTER_IMPRESSION, impression(campaignId));
  });

  it('no impressions or conversions on an ended campaign', async () => {
    const campaignId = await campaign(harness);
    await ok(harness, END_CAMPAIGN, { input: { campaignId } });
    const error = await rejects('BAD_USER_INPUT', REGISTER_IMPRESSIONS, {
      input: { campaignId, impressions: [{ id: uid('imp'), influencerId }] },
    });
    expect(error.extensions?.status).toBe('ENDED');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId));
  });

  it('no activity before the campaign starts, at or after it ends, or in the future', async () => {
    const startsAt = minutesAgo(120);
    const endsAt = minutesAgo(60);
    const campaignId = await campaign(harness, { startsAt, endsAt });
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSION, impression(campaignId, { occurredAt: minutesAgo(121) }), 'occurredAt');
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSION, impression(campaignId, { occurredAt: endsAt }), 'occurredAt');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { occurredAt: minutesAgo(30) }), 'occurredAt');
    const open = await campaign(harness);
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSION, impression(open, { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }));
    await ok(harness, REGISTER_IMPRESSION, impression(campaignId, { occurredAt: minutesAgo(90) }));
  });

  it('a whole batch is rejected, naming the first invalid entry, and nothing of it is counted', async () => {
    const campaignId = await campaign(harness);
    const entries = [
      { id: uid('imp'), influencerId },
      { id: uid('imp'), influencerId, occurredAt: minutesAgo(600) },
    ];
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSIONS, { input: { campaignId, impressions: entries } }, 'impressions[1].occurredAt');
  });

  it('lifecycle transitions that do not apply are BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    await rejects('BAD_USER_INPUT', RESUME_CAMPAIGN, { input: { campaignId } });
    await ok(harness, END_CAMPAIGN, { input: { campaignId } });
    await rejects('BAD_USER_INPUT', PAUSE_CAMPAIGN, { input: { campaignId } });
    await rejects('BAD_USER_INPUT', END_CAMPAIGN, { input: { campaignId } });
  });

  it('a campaign whose end is not after its start, or whose id exists, is BAD_USER_INPUT', async () => {
    await rejects('BAD_USER_INPUT', CREATE_CAMPAIGN, { input: { name: 'x', startsAt: minutesAgo(10), endsAt: minutesAgo(20) } }, 'endsAt');
    const campaignId = await campaign(harness);
    await rejects('BAD_USER_INPUT', CREATE_CAMPAIGN, { input: { id: campaignId, name: 'again' } }, 'campaignId');
    await rejects('BAD_USER_INPUT', CREATE_CAMPAIGN, { input: { name: '   ' } }, 'name');
  });
});

describe('a conversion and its impression', () => {
  it('the impression must belong to the same campaign', async () => {
    const campaignId = await campaign(harness);
    const other = await campaign(harness);
    const impressionId = uid('imp');
    await ok(harness, REGISTER_IMPRESSION, impression(other, { id: impressionId }));
    const error = await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { impressionId }), 'impressionId');
    expect(error.message).toMatch(/belongs to campaign/);
  });

  it('the impression must belong to the same influencer', async () => {
    const campaignId = await campaign(harness);
    const impressionId = uid('imp');
    await ok(harness, REGISTER_IMPRESSION, impression(campaignId, { id: impressionId, influencerId: otherInfluencerId }));
    const error = await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { impressionId }), 'impressionId');
    expect(error.message).toMatch(/belongs to influencer/);
  });
});

describe('money and quantities', () => {
  it('a negative amount, more than two decimals, a malformed amount or currency are BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { value: { amount: '-1.00', currency: 'EUR' } }), 'value.amount');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { value: { amount: '1.001', currency: 'EUR' } }), 'value.amount');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { value: { amount: 'ten', currency: 'EUR' } }), 'value.amount');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { value: { amount: '1.00', currency: 'eur' } }), 'value.currency');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { value: { amount: '1.00', currency: '' } }), 'value.currency');
    await rejects('BAD_USER_INPUT', CREATE_CAMPAIGN, { input: { name: 'x', budget: { amount: '-5', currency: 'EUR' } } }, 'budget.amount');
  });

  it('a quantity that is not a positive integer is BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { quantity: 0 }), 'quantity');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { quantity: -3 }), 'quantity');
  });
});

describe('inputs', () => {
  it('a batch of more than 10,000 impressions is BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    const entries = Array.from({ length: 10_001 }, (_, index) => ({ id: `x${index}`, influencerId }));
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSIONS, { input: { campaignId, impressions: entries } }, 'impressions');
  });

  it('ids longer than 100 characters or padded with spaces are BAD_USER_INPUT', async () => {
    const campaignId = await campaign(harness);
    await rejects('BAD_USER_INPUT', REGISTER_IMPRESSION, impression(campaignId, { id: 'x'.repeat(101) }), 'id');
    await rejects('BAD_USER_INPUT', REGISTER_CONVERSION, conversion(campaignId, { id: ' padded' }), 'conversionId');
  });

  it('a handle already registered on the platform, or malformed, is BAD_USER_INPUT', async () => {
    const handle = uid('h');
    await ok(harness, REGISTER_INFLUENCER, { input: { handle, platform: 'TIKTOK' } });
    await rejects('BAD_USER_INPUT', REGISTER_INFLUENCER, { input: { handle, platform: 'TIKTOK' } }, 'handle');
    await ok(harness, REGISTER_INFLUENCER, { input: { handle, platform: 'TWITCH' } });
    await rejects('BAD_USER_INPUT', REGISTER_INFLUENCER, { input: { handle: '@bad handle', platform: 'X' } }, 'handle');
  });

  it('an invalid cursor or page size is BAD_USER_INPUT', async () => {
    await fails(harness, 'BAD_USER_INPUT', `{ campaigns(after: "nope") { edges { cursor } } }`);
    await fails(harness, 'BAD_USER_INPUT', `{ campaigns(first: 501) { edges { cursor } } }`);
  });
});

describe('concurrency and idempotency keys', () => {
  it('a stale expectedVersion is CONCURRENCY_CONFLICT with the current version', async () => {
    const campaignId = await campaign(harness);
    const error = await rejects('CONCURRENCY_CONFLICT', PAUSE_CAMPAIGN, { input: { campaignId, expectedVersion: 5 } });
    expect(error.extensions?.currentVersion).toBe(1);
  });

  it('an idempotency key reused for another command is IDEMPOTENCY_KEY_REUSED', async () => {
    const key = uid('key');
    await ok(harness, CREATE_CAMPAIGN, { input: { name: 'First', idempotencyKey: key } });
    await rejects('IDEMPOTENCY_KEY_REUSED', CREATE_CAMPAIGN, { input: { name: 'Second', idempotencyKey: key } });
  });

  it('a repeated impression id is counted once even when the campaign was paused since', async () => {
    const campaignId = await campaign(harness);
    const entries = [{ id: uid('imp'), influencerId }];
    expect(await impressions(harness, campaignId, entries)).toMatchObject({ accepted: 1, replayed: false });
    await ok(harness, PAUSE_CAMPAIGN, { input: { campaignId } });
    expect(await impressions(harness, campaignId, entries)).toMatchObject({ accepted: 0, duplicates: 1, replayed: true, stats: { impressions: 1 } });
  });
});
