import { describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../../subgraphs/shared/projections/rebuild.js';
import { ACTIVITY_EVENTS, activityStreamId } from '../../../subgraphs/tracking/domain/index.js';
import type { ConversionRegisteredV1 } from '../../../subgraphs/tracking/domain/upcasters.js';
import { trackingProjections } from '../../../subgraphs/tracking/projections/index.js';
import { CONVERSION_FIELDS, campaign, minutesAgo, ok, uid } from './helpers.js';
import { trackingSuite } from './tracking-suite.js';

const suite = trackingSuite();

/** A ConversionRegistered as recorded before schema version 2: two fraction digits and hundredths in every currency. */
function oldConversion(campaignId: string, amount: string, valueMinor: number, currency: string): ConversionRegisteredV1 {
  return {
    conversionId: uid('conv'),
    campaignId,
    influencerId: suite.influencerId,
    value: { amount, currency },
    valueMinor,
    impressionId: null,
    productId: null,
    storeId: null,
    quantity: null,
    occurredAt: minutesAgo(5),
  };
}

describe('ConversionRegistered recorded in hundredths for every currency', () => {
  it('reads back, projects and answers in ISO 4217 minor units, while the stored event stays as written', async () => {
    const campaignId = await campaign(suite.harness);
    const streamId = activityStreamId(campaignId);
    // 1500.00 JPY is 1500 yen; 12.34 KWD is 12.340 dinars (12340 fils); 1234.56 JPY rounds to 1235 yen.
    const jpy = oldConversion(campaignId, '1500.00', 150_000, 'JPY');
    const kwd = oldConversion(campaignId, '12.34', 1234, 'KWD');
    const finer = oldConversion(campaignId, '1234.56', 123_456, 'JPY');
    // Written raw, as the old code wrote it: the untyped store appends data as given.
    await suite.harness.platform.store.appendToStream(
      streamId,
      [jpy, kwd, finer].map((data) => ({ type: 'ConversionRegistered', data })),
    );

    const stored = await suite.harness.platform.store.readStream(streamId);
    expect(stored.map((event) => event.data)).toEqual([jpy, kwd, finer]);

    const read = await suite.harness.platform.store.withEvents(ACTIVITY_EVENTS).readStream(streamId);
    expect(read.map((event) => event.type)).toEqual(['ConversionRegistered', 'ConversionRegistered', 'ConversionRegistered']);
    expect(read.map((event) => event.data)).toEqual([
      { ...jpy, schemaVersion: 2, value: { amount: '1500', currency: 'JPY' }, valueMinor: 1500 },
      { ...kwd, schemaVersion: 2, value: { amount: '12.340', currency: 'KWD' }, valueMinor: 12_340 },
      { ...finer, schemaVersion: 2, value: { amount: '1235', currency: 'JPY' }, valueMinor: 1235 },
    ]);

    // The read models as a rebuild folds them from the log: through the same decoding.
    const report = await rebuildProjections(suite.harness.platform.db.sql, trackingProjections);
    // Appended raw, the three conversions had no inline projection: the rebuild adds exactly them.
    expect(report.differences.conversions).toBe(3);
    const rows = await suite.harness.platform.db.kysely
      .selectFrom('conversions')
      .select(['id', 'amountMinor', 'currency'])
      .where('campaignId', '=', campaignId)
      .orderBy('amountMinor')
      .execute();
    expect(rows).toEqual([
      { id: finer.conversionId, amountMinor: '1235', currency: 'JPY' },
      { id: jpy.conversionId, amountMinor: '1500', currency: 'JPY' },
      { id: kwd.conversionId, amountMinor: '12340', currency: 'KWD' },
    ]);

    const answered = await ok(
      suite.harness,
      `query($id: ID!, $conversion: ID!) {
        campaign(id: $id) { stats { conversions revenue { amount currency } } }
        conversion(id: $conversion) { ${CONVERSION_FIELDS} }
      }`,
      { id: campaignId, conversion: kwd.conversionId },
    );
    expect(answered.campaign.stats).toEqual({
      conversions: 3,
      revenue: [
        { amount: '2735', currency: 'JPY' },
        { amount: '12.340', currency: 'KWD' },
      ],
    });
    expect(answered.conversion).toMatchObject({ id: kwd.conversionId, value: { amount: '12.340', currency: 'KWD' } });
  });
});
