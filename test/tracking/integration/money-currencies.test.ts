import { describe, expect, it } from 'vitest';
import { CREATE_CAMPAIGN, REGISTER_CONVERSION, campaign, fails, minutesAgo, ok, uid } from './helpers.js';
import { trackingSuite } from './tracking-suite.js';

const suite = trackingSuite();

const convert = (campaignId: string, value: { amount: string; currency: string }) =>
  ok(suite.harness, REGISTER_CONVERSION, { input: { campaignId, id: uid('conv'), influencerId: suite.influencerId, value, occurredAt: minutesAgo(1) } });

describe('Money over GraphQL in each currency\u2019s ISO 4217 minor unit', () => {
  it('answers JPY without decimals, KWD with three and EUR with two, in conversions, stats and budgets', async () => {
    const campaignId = await campaign(suite.harness, { budget: { amount: '500000', currency: 'JPY' } });
    const jpy = await convert(campaignId, { amount: '1200', currency: 'JPY' });
    expect(jpy.registerConversion.conversion.value).toEqual({ amount: '1200', currency: 'JPY' });
    const kwd = await convert(campaignId, { amount: '2.5', currency: 'KWD' });
    expect(kwd.registerConversion.conversion.value).toEqual({ amount: '2.500', currency: 'KWD' });
    await convert(campaignId, { amount: '0.125', currency: 'KWD' });
    await convert(campaignId, { amount: '300', currency: 'JPY' });
    const eur = await convert(campaignId, { amount: '19.9', currency: 'EUR' });
    expect(eur.registerConversion.stats.revenue).toEqual([
      { amount: '19.90', currency: 'EUR' },
      { amount: '1500', currency: 'JPY' },
      { amount: '2.625', currency: 'KWD' },
    ]);
    const read = await ok(suite.harness, `query($id: ID!) { campaign(id: $id) { budget { amount currency } stats { revenue { amount currency } } } }`, {
      id: campaignId,
    });
    expect(read.campaign).toEqual({
      budget: { amount: '500000', currency: 'JPY' },
      stats: { revenue: eur.registerConversion.stats.revenue },
    });
  });

  it('refuses fraction digits the currency does not have, and currencies ISO 4217 does not list, as BAD_USER_INPUT', async () => {
    const campaignId = await campaign(suite.harness);
    const refused = async (value: { amount: string; currency: string }, field: string) => {
      const error = await fails(suite.harness, 'BAD_USER_INPUT', REGISTER_CONVERSION, {
        input: { campaignId, id: uid('conv'), influencerId: suite.influencerId, value, occurredAt: minutesAgo(1) },
      });
      expect(error.extensions?.field).toBe(field);
    };
    await refused({ amount: '12.5', currency: 'JPY' }, 'value.amount');
    await refused({ amount: '1.2345', currency: 'KWD' }, 'value.amount');
    await refused({ amount: '10.00', currency: 'ABC' }, 'value.currency');
    const budget = await fails(suite.harness, 'BAD_USER_INPUT', CREATE_CAMPAIGN, { input: { name: 'Gold', budget: { amount: '1', currency: 'XAU' } } });
    expect(budget.extensions?.field).toBe('budget.currency');
  });
});
