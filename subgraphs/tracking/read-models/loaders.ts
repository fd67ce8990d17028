import DataLoader from 'dataloader';
import type { PrismaClient } from '../../shared/database/connect.js';
import { byId } from '../../shared/graphql/batch-results.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { CounterDimension, CounterScope } from '../projections/index.js';
import {
  campaignFromPrisma,
  conversionFromPrisma,
  emptyStats,
  impressionFromRecord,
  influencerFromPrisma,
  toStatsViews,
  type CampaignRow,
  type ConversionRow,
  type ImpressionRecord,
  type ImpressionRow,
  type InfluencerRow,
  type StatsView,
} from './rows.js';

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
const breakdownKey = (key: BreakdownKey) => `${key.scope}\u0000${key.subjectId}\u0000${key.dimension}`;

/** Most impressions first, then most conversions, then by key: a stable "top" order. */
const topFirst = (a: StatsView, b: StatsView): number =>
  b.impressions - a.impressions || b.conversions - a.conversions || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Per-request batch loaders: every entity lookup of one request, `__resolveReference` included,
 * becomes one query per entity type and tick. Impressions load through `= ANY($1)` because a
 * batch payload may ask for 10,000 of them at once.
 */
export function createTrackingLoaders(prisma: PrismaClient, sql: SqlClient) {
  const loaders = {
    campaign: new DataLoader<string, CampaignRow | null>(async (ids) =>
      byId(ids, (await prisma.campaign.findMany({ where: { id: { in: [...ids] } } })).map(campaignFromPrisma)),
    ),
    influencer: new DataLoader<string, InfluencerRow | null>(async (ids) =>
      byId(ids, (await prisma.influencer.findMany({ where: { id: { in: [...ids] } } })).map(influencerFromPrisma)),
    ),
    impression: new DataLoader<string, ImpressionRow | null>(
      async (ids) => {
        const rows = await sql.query<ImpressionRecord>(
          'SELECT id, campaign_id, influencer_id, occurred_at FROM impressions WHERE id = ANY($1::text[])',
          [ids],
        );
        return byId(ids, rows.map(impressionFromRecord));
      },
      { maxBatchSize: 10_000 },
    ),
    conversion: new DataLoader<string, ConversionRow | null>(async (ids) =>
      byId(ids, (await prisma.conversion.findMany({ where: { id: { in: [...ids] } } })).map(conversionFromPrisma)),
    ),
    campaignsByProduct: new DataLoader<string, CampaignRow[]>(async (productIds) => {
      const rows = (
        await prisma.campaign.findMany({
          where: { productId: { in: [...productIds] } },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        })
      ).map(campaignFromPrisma);
      return productIds.map((productId) => rows.filter((row) => row.productId === productId));
    }),
    /** Total counters of a subject (zeros when nothing was counted yet). */
    totals: new DataLoader<SubjectKey, StatsView, string>(
      async (keys) => {
        const where = { OR: keys.map((key) => ({ scope: key.scope, subjectId: key.subjectId, dimension: 'total', key: '' })) };
        const [counters, revenue] = await Promise.all([prisma.trackingCounter.findMany({ where }), prisma.trackingRevenue.findMany({ where })]);
        const found = new Map(toStatsViews(counters, revenue).map((view) => [subjectKey(view), view]));
        return keys.map((key) => found.get(subjectKey(key)) ?? emptyStats(key.scope, key.subjectId));
      },
      { cacheKeyFn: subjectKey },
    ),
    /** Breakdown entries of a subject, most impressions first. */
    breakdown: new DataLoader<BreakdownKey, StatsView[], string>(
      async (keys) => {
        const where = { OR: keys.map((key) => ({ scope: key.scope, subjectId: key.subjectId, dimension: key.dimension })) };
        const [counters, revenue] = await Promise.all([
          prisma.trackingCounter.findMany({ where }),
          prisma.trackingRevenue.findMany({ where }),
        ]);
        const groups = new Map<string, StatsView[]>();
        for (const view of toStatsViews(counters, revenue)) {
          const group = groups.get(breakdownKey(view as BreakdownKey));
          if (group) group.push(view);
          else groups.set(breakdownKey(view as BreakdownKey), [view]);
        }
        return keys.map((key) => (groups.get(breakdownKey(key)) ?? []).sort(topFirst));
      },
      { cacheKeyFn: breakdownKey },
    ),
    /** Forgets everything: a long-lived context (a subscription) reloads before each item. */
    clearAll(): void {
      for (const loader of Object.values(loaders)) if (loader instanceof DataLoader) loader.clearAll();
    },
  };
  return loaders;
}

export type TrackingLoaders = ReturnType<typeof createTrackingLoaders>;
