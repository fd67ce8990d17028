import DataLoader from 'dataloader';
import { columnArray, columnsIn } from '../../shared/database/kysely/arrays.js';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import { byId, groupBy } from '../../shared/graphql/batch-results.js';
import { requestLoaders } from '../../shared/graphql/request-loaders.js';
import type { CounterDimension, CounterScope } from '../projections/index.js';
import { rowsOf } from '../../shared/database/kysely/compiled-statement.js';
import { countersWithRevenue, statsViewOf } from './counters-with-revenue.js';
import { loaderStatements } from './loader-statements.js';
import { emptyStats, type CampaignRow, type ConversionRow, type ImpressionRow, type InfluencerRow, type StatsView } from './rows.js';

/** Whose counters: a campaign, an influencer or a product. */
export interface SubjectKey {
  readonly scope: CounterScope;
  readonly subjectId: string;
}

/** One breakdown of a subject: its per-influencer, per-campaign or hourly counter rows. */
export interface BreakdownKey extends SubjectKey {
  readonly dimension: Exclude<CounterDimension, 'total'>;
}

const subjectKey = (key: SubjectKey) => `${key.scope}\u0000${key.subjectId}`;
const breakdownKey = (key: Pick<StatsView, 'scope' | 'subjectId' | 'dimension'>) => `${key.scope}\u0000${key.subjectId}\u0000${key.dimension}`;

/** Most impressions first, then most conversions, then by key: a stable "top" order. */
const topFirst = (a: StatsView, b: StatsView): number =>
  b.impressions - a.impressions || b.conversions - a.conversions || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Per-request batch loaders: every entity lookup of one request, `__resolveReference` included,
 * becomes one query per entity type and tick. Keys travel as array parameters (`= ANY($1)`,
 * `IN (SELECT * FROM unnest($1, $2))`), so every batch of a loader is the same statement, and a
 * batch payload may ask for 10,000 impressions at once. `clearAll()` empties them all (see
 * `requestLoaders`).
 */
export function createTrackingLoaders(kysely: KyselyDatabase) {
  const statements = loaderStatements(kysely);
  return requestLoaders({
    campaign: new DataLoader<string, CampaignRow | null>(async (ids) => byId(ids, await rowsOf(kysely, statements.campaigns, [ids]))),
    influencer: new DataLoader<string, InfluencerRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('influencers')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('influencers', 'id', ids)))
          .execute(),
      ),
    ),
    impression: new DataLoader<string, ImpressionRow | null>(
      async (ids) =>
        byId(
          ids,
          await kysely
            .selectFrom('impressions')
            .selectAll()
            .where('id', '=', (eb) => eb.fn.any(columnArray('impressions', 'id', ids)))
            .execute(),
        ),
      { maxBatchSize: 10_000 },
    ),
    conversion: new DataLoader<string, ConversionRow | null>(async (ids) =>
      byId(
        ids,
        await kysely
          .selectFrom('conversions')
          .selectAll()
          .where('id', '=', (eb) => eb.fn.any(columnArray('conversions', 'id', ids)))
          .execute(),
      ),
    ),
    /** Campaigns promoting each product, newest first. */
    campaignsByProduct: new DataLoader<string, CampaignRow[]>(async (productIds) =>
      groupBy(productIds, await rowsOf(kysely, statements.campaignsByProduct, [productIds]), (row) => row.productId ?? ''),
    ),
    /** Total counters of a subject (zeros when nothing was counted yet). */
    totals: new DataLoader<SubjectKey, StatsView, string>(
      async (keys) => {
        const rows = await rowsOf(kysely, statements.totals, [keys.map((key) => key.scope), keys.map((key) => key.subjectId)]);
        const found = new Map(rows.map((row) => statsViewOf(row)).map((view) => [subjectKey(view), view]));
        return keys.map((key) => found.get(subjectKey(key)) ?? emptyStats(key.scope, key.subjectId));
      },
      { cacheKeyFn: subjectKey },
    ),
    /** Breakdown entries of a subject, most impressions first. */
    breakdown: new DataLoader<BreakdownKey, StatsView[], string>(
      async (keys) => {
        const rows = await countersWithRevenue(kysely)
          .where(columnsIn('trackingCounters', ['scope', 'subjectId', 'dimension'], keys))
          .execute();
        return groupBy(keys.map(breakdownKey), rows.map(statsViewOf), breakdownKey).map((group) => group.sort(topFirst));
      },
      { cacheKeyFn: breakdownKey },
    ),
  });
}

export type TrackingLoaders = ReturnType<typeof createTrackingLoaders>;
