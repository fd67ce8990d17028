import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryCommands, type InventoryCommands } from '../../subgraphs/inventory/commands/inventory-commands.js';
import { stockStreamId } from '../../subgraphs/inventory/domain/index.js';
import { isDomainError } from '../../subgraphs/shared/errors/codes.js';
import { trackingCommands } from '../../subgraphs/tracking/commands/tracking-commands.js';
import { activityStreamId } from '../../subgraphs/tracking/domain/index.js';
import { startPlatformReplicas, type PlatformReplicas } from '../support/platform-replicas.js';
import { HOOK_TIMEOUT_MS, uniqueCategory } from './helpers.js';

let replicas: PlatformReplicas;
let commands: InventoryCommands[];
const metadata = { correlationId: 'hot-stream-test', actor: 'test' };
const PRODUCT = 'hot-product';

beforeAll(async () => {
  replicas = await startPlatformReplicas(2);
  commands = replicas.platforms.map((platform) => inventoryCommands(platform));
  await commands[0]!.registerProduct({ id: PRODUCT, sku: 'HOT-1', name: 'Hot' }, metadata);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await replicas?.close();
}, HOOK_TIMEOUT_MS);

/** Each rejection's code ('UNEXPECTED' for anything but a DomainError), counted. */
function rejectionCodes(outcomes: ReadonlyArray<PromiseSettledResult<unknown>>): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') continue;
    const code = isDomainError(outcome.reason) ? outcome.reason.code : 'UNEXPECTED';
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

describe('commands on a hot stream without expectedVersion', () => {
  it(
    '1,000 concurrent commands on one stock level from two replicas: each is decided, none bounced with CONCURRENCY_CONFLICT, every success is in the store and nothing is oversold',
    { timeout: 240_000 },
    async () => {
      const storeId = uniqueCategory('store');
      await commands[0]!.registerStore({ id: storeId, name: storeId }, metadata);
      await commands[0]!.addStock({ productId: PRODUCT, storeId, quantity: 1200 }, metadata);
      // 900 reservations of 1 to 3 units (about 1,800 asked for, 1,200 in stock plus what arrives),
      // 50 deliveries of 10 and 50 removals of 5, alternating between the replicas.
      const kinds = Array.from({ length: 1000 }, (_, index) => (index % 20 === 0 ? 'add' : index % 20 === 10 ? 'remove' : 'reserve'));
      const outcomes = await Promise.allSettled(
        kinds.map((kind, index) => {
          const replica = commands[index % 2]!;
          if (kind === 'add') return replica.addStock({ productId: PRODUCT, storeId, quantity: 10 }, metadata);
          if (kind === 'remove') return replica.removeStock({ productId: PRODUCT, storeId, quantity: 5, reason: 'damaged' }, metadata);
          return replica.reserveStock({ productId: PRODUCT, storeId, quantity: 1 + (index % 3), customerId: `c${index}` }, metadata);
        }),
      );

      const codes = rejectionCodes(outcomes);
      expect(codes.CONCURRENCY_CONFLICT ?? 0).toBe(0);
      // Refusals are the decider's: stock ran out. Nothing else failed.
      expect(Object.keys(codes).filter((code) => code !== 'INSUFFICIENT_STOCK')).toEqual([]);
      expect(codes.INSUFFICIENT_STOCK ?? 0).toBeGreaterThan(0);

      const succeeded = (kind: string) => kinds.filter((candidate, index) => candidate === kind && outcomes[index]!.status === 'fulfilled');
      const reservedUnits = kinds.reduce((sum, kind, index) => sum + (kind === 'reserve' && outcomes[index]!.status === 'fulfilled' ? 1 + (index % 3) : 0), 0);
      const total = 1200 + 10 * succeeded('add').length - 5 * succeeded('remove').length;

      const events = await replicas.platforms[0]!.store.readStream(stockStreamId(PRODUCT, storeId));
      expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
      const count = (type: string) => events.filter((event) => event.type === type).length;
      expect(count('StockReserved')).toBe(succeeded('reserve').length);
      expect(count('StockAdded')).toBe(1 + succeeded('add').length);
      expect(count('StockRemoved')).toBe(succeeded('remove').length);
      // Each success answered with the event the store holds.
      const stored = new Set(events.map((event) => event.position));
      for (const outcome of outcomes) {
        if (outcome.status !== 'fulfilled') continue;
        const appended = 'outcome' in outcome.value ? outcome.value.outcome.events : outcome.value.events;
        for (const event of appended) expect(stored.has(event.position)).toBe(true);
      }

      const [level] = await replicas.platforms[1]!.db.sql.query<{ total: number; reserved: number; version: number }>(
        'SELECT total, reserved, version FROM stock_levels WHERE product_id = $1 AND store_id = $2',
        [PRODUCT, storeId],
      );
      expect(level).toEqual({ total, reserved: reservedUnits, version: events.length });
      expect(level!.total - level!.reserved).toBeGreaterThanOrEqual(0);
    },
  );

  it(
    'with a client expectedVersion the optimistic check stays: of 20 writers expecting one version, one wins and the others are told the current one',
    { timeout: 60_000 },
    async () => {
      const storeId = uniqueCategory('store');
      await commands[0]!.registerStore({ id: storeId, name: storeId }, metadata);
      const outcome = await commands[0]!.addStock({ productId: PRODUCT, storeId, quantity: 5 }, metadata);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) =>
          commands[index % 2]!.addStock({ productId: PRODUCT, storeId, quantity: 1, expectedVersion: outcome.version }, metadata),
        ),
      );
      expect(outcomes.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(rejectionCodes(outcomes)).toEqual({ CONCURRENCY_CONFLICT: 19 });
      for (const result of outcomes) {
        if (result.status === 'rejected') expect(result.reason.extensions.currentVersion).toBe(outcome.version + 1);
      }
    },
  );

  it('campaign activity and lifecycle commands on one campaign from two replicas are all decided, none bounced', { timeout: 120_000 }, async () => {
    const tracking = replicas.platforms.map((platform) => trackingCommands(platform));
    const campaignId = uniqueCategory('camp');
    await tracking[0]!.createCampaign({ id: campaignId, name: 'Hot campaign', startsAt: new Date(Date.now() - 3_600_000).toISOString() }, metadata);
    const influencerIds: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const id = uniqueCategory('inf');
      await tracking[0]!.registerInfluencer({ id, handle: id, platform: 'INSTAGRAM' }, metadata);
      influencerIds.push(id);
    }
    // 150 batches of 10 impressions, 150 conversions, and lifecycle commands on the campaign's
    // stream meanwhile (a resume of an active campaign: refused by its decider, an answer).
    const work: Array<Promise<unknown>> = [];
    for (let index = 0; index < 300; index += 1) {
      const replica = tracking[index % 2]!;
      const influencerId = influencerIds[index % 3]!;
      if (index % 2 === 0) {
        const impressions = Array.from({ length: 10 }, (_, offset) => ({ id: `${campaignId}-i${index}-${offset}`, influencerId }));
        work.push(replica.registerImpressions({ campaignId, impressions }, metadata));
      } else {
        work.push(
          replica.registerConversion({ id: `${campaignId}-v${index}`, campaignId, influencerId, value: { amount: '1.00', currency: 'EUR' } }, metadata),
        );
      }
      if (index % 30 === 0) work.push(replica.resumeCampaign({ campaignId }, metadata));
    }
    const outcomes = await Promise.allSettled(work);
    const codes = rejectionCodes(outcomes);
    expect(codes.CONCURRENCY_CONFLICT ?? 0).toBe(0);
    expect(Object.keys(codes).filter((code) => code !== 'BAD_USER_INPUT')).toEqual([]);
    const activity = await replicas.platforms[0]!.store.readStream(activityStreamId(campaignId));
    expect(activity.filter((event) => event.type === 'ImpressionRegistered')).toHaveLength(1500);
    expect(activity.filter((event) => event.type === 'ConversionRegistered')).toHaveLength(150);
  });
});
