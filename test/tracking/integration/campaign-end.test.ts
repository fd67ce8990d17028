/**
 * A campaign whose end has passed reads as ENDED (in lookups and in status filters) although no
 * one ended it, and the single-impression mutation words its errors with its own input fields.
 */
import { describe, expect, it } from 'vitest';
import { REGISTER_IMPRESSION, REGISTER_IMPRESSIONS, campaign, fails, minutesAgo, ok, uid } from './helpers.js';
import { trackingSuite } from './tracking-suite.js';

const suite = trackingSuite();

const STATUS = `query($id: ID!) { campaign(id: $id) { id status } }`;
const LISTED = `query($status: CampaignStatus) { campaigns(first: 100, status: $status) { edges { node { id status } } } }`;

async function listed(status: string): Promise<Array<{ id: string; status: string }>> {
  const data = await ok<{ campaigns: { edges: Array<{ node: { id: string; status: string } }> } }>(suite.harness, LISTED, { status });
  return data.campaigns.edges.map((edge) => edge.node);
}

describe('a campaign past its end', () => {
  it('reads as ENDED, is listed under ENDED and not under ACTIVE, while a running one stays ACTIVE', async () => {
    const past = await campaign(suite.harness, { startsAt: minutesAgo(120), endsAt: minutesAgo(60) });
    const running = await campaign(suite.harness, { startsAt: minutesAgo(60), endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const open = await campaign(suite.harness);

    expect((await ok(suite.harness, STATUS, { id: past })).campaign).toEqual({ id: past, status: 'ENDED' });
    expect((await ok(suite.harness, STATUS, { id: running })).campaign).toEqual({ id: running, status: 'ACTIVE' });
    expect((await ok(suite.harness, STATUS, { id: open })).campaign).toEqual({ id: open, status: 'ACTIVE' });

    const ended = await listed('ENDED');
    expect(ended).toContainEqual({ id: past, status: 'ENDED' });
    expect(ended.map((node) => node.id)).not.toContain(running);
    const active = await listed('ACTIVE');
    expect(active.map((node) => node.id)).toEqual(expect.arrayContaining([running, open]));
    expect(active.map((node) => node.id)).not.toContain(past);
    for (const node of active) expect(node.status).toBe('ACTIVE');
  });

  it('refuses an impression happening now, and says it is past the end', async () => {
    const past = await campaign(suite.harness, { startsAt: minutesAgo(120), endsAt: minutesAgo(60) });
    const error = await fails(suite.harness, 'BAD_USER_INPUT', REGISTER_IMPRESSION, {
      input: { campaignId: past, id: uid('imp'), influencerId: suite.influencerId },
    });
    expect(error.extensions?.field).toBe('occurredAt');
    expect(error.message).toMatch(/^occurredAt \S+ is not before campaign \S+ ends/);
  });
});

describe('registerImpression errors', () => {
  it('name the fields of its own input, never those of a batch', async () => {
    const campaignId = await campaign(suite.harness, { startsAt: minutesAgo(120) });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ occurredAt: minutesAgo(121) }, 'occurredAt'],
      [{ id: 'x'.repeat(101) }, 'id'],
      [{ id: ' padded' }, 'id'],
      [{ influencerId: '' }, 'influencerId'],
    ];
    for (const [overrides, field] of cases) {
      const error = await fails(suite.harness, 'BAD_USER_INPUT', REGISTER_IMPRESSION, {
        input: { campaignId, id: uid('imp'), influencerId: suite.influencerId, occurredAt: minutesAgo(1), ...overrides },
      });
      expect(error.extensions?.field, JSON.stringify(overrides)).toBe(field);
      expect(error.message, JSON.stringify(overrides)).toMatch(new RegExp(`^${field} `));
      expect(error.message).not.toContain('impressions[');
    }
    // The batch mutation keeps naming the entry at fault.
    const batch = await fails(suite.harness, 'BAD_USER_INPUT', REGISTER_IMPRESSIONS, {
      input: { campaignId, impressions: [{ id: uid('imp'), influencerId: suite.influencerId, occurredAt: minutesAgo(121) }] },
    });
    expect(batch.extensions?.field).toBe('impressions[0].occurredAt');
  });
});
