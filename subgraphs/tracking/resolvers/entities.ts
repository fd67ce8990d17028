import { toMoney } from '../domain/index.js';
import type { TrackingContext } from '../context.js';
import { conversionRate, revenueAsMoney } from '../projections/stats/index.js';
import { campaignStatusAt } from '../read-models/campaign-status.js';
import { eventId, statsId } from '../read-models/identities.js';
import type { CampaignRow, ConversionRow, ImpressionRow, InfluencerRow, StatsView } from '../read-models/rows.js';

type Range = { from?: Date | null; to?: Date | null };
type Page = { first?: number | null; after?: string | null };

/** Fields every counter view shares (stats, breakdown entries, hourly buckets). */
const counterFields = {
  id: statsId,
  impressions: (view: StatsView) => view.impressions,
  conversions: (view: StatsView) => view.conversions,
  conversionRate: (view: StatsView) => conversionRate(view),
  revenue: (view: StatsView) => revenueAsMoney(view.revenue),
  unitsSold: (view: StatsView) => view.units,
};

async function present<Row>(loaded: ReadonlyArray<Row | null | Error>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const row of loaded) {
    if (row instanceof Error) throw row;
    if (row !== null) rows.push(row);
  }
  return rows;
}

/** Field resolvers of the tracking entities and stats types, including federation's `__resolveReference`. */
export const entityResolvers = {
  Campaign: {
    __resolveReference: (reference: { id: string }, ctx: TrackingContext) => ctx.loaders.campaign.load(reference.id),
    status: (campaign: CampaignRow) => campaignStatusAt(campaign, Date.now()),
    budget: (campaign: CampaignRow) =>
      campaign.budgetMinor === null || campaign.budgetCurrency === null
        ? null
        : toMoney({ amountMinor: campaign.budgetMinor, currency: campaign.budgetCurrency }),
    // A stub: the inventory subgraph resolves the rest through the router.
    product: (campaign: CampaignRow) => (campaign.productId === null ? null : { id: campaign.productId }),
    stats: (campaign: CampaignRow, _args: unknown, ctx: TrackingContext) =>
      ctx.loaders.totals.load({ scope: 'campaign', subjectId: campaign.id }),
    impressions: (campaign: CampaignRow, args: Page, ctx: TrackingContext) => ctx.queries.impressions({ campaignId: campaign.id }, args),
    conversions: (campaign: CampaignRow, args: Page, ctx: TrackingContext) => ctx.queries.conversions({ campaignId: campaign.id }, args),
    influencers: async (campaign: CampaignRow, _args: unknown, ctx: TrackingContext) => {
      const entries = await ctx.loaders.breakdown.load({ scope: 'campaign', subjectId: campaign.id, dimension: 'influencer' });
      return present(await ctx.loaders.influencer.loadMany(entries.map((entry) => entry.key)));
    },
  },
  Influencer: {
    __resolveReference: (reference: { id: string }, ctx: TrackingContext) => ctx.loaders.influencer.load(reference.id),
    stats: (influencer: InfluencerRow, _args: unknown, ctx: TrackingContext) =>
      ctx.loaders.totals.load({ scope: 'influencer', subjectId: influencer.id }),
    impressions: (influencer: InfluencerRow, args: Page, ctx: TrackingContext) =>
      ctx.queries.impressions({ influencerId: influencer.id }, args),
    conversions: (influencer: InfluencerRow, args: Page, ctx: TrackingContext) =>
      ctx.queries.conversions({ influencerId: influencer.id }, args),
    campaigns: async (influencer: InfluencerRow, _args: unknown, ctx: TrackingContext) => {
      const entries = await ctx.loaders.breakdown.load({ scope: 'influencer', subjectId: influencer.id, dimension: 'campaign' });
      return present(await ctx.loaders.campaign.loadMany(entries.map((entry) => entry.key)));
    },
  },
  Impression: {
    __resolveReference: (reference: { id: string }, ctx: TrackingContext) => ctx.loaders.impression.load(reference.id),
    campaign: (impression: ImpressionRow, _args: unknown, ctx: TrackingContext) => ctx.loaders.campaign.load(impression.campaignId),
    influencer: (impression: ImpressionRow, _args: unknown, ctx: TrackingContext) => ctx.loaders.influencer.load(impression.influencerId),
  },
  Conversion: {
    __resolveReference: (reference: { id: string }, ctx: TrackingContext) => ctx.loaders.conversion.load(reference.id),
    campaign: (conversion: ConversionRow, _args: unknown, ctx: TrackingContext) => ctx.loaders.campaign.load(conversion.campaignId),
    influencer: (conversion: ConversionRow, _args: unknown, ctx: TrackingContext) => ctx.loaders.influencer.load(conversion.influencerId),
    value: (conversion: ConversionRow) => toMoney({ amountMinor: conversion.amountMinor, currency: conversion.currency }),
    impression: (conversion: ConversionRow, _args: unknown, ctx: TrackingContext) =>
      conversion.impressionId === null ? null : ctx.loaders.impression.load(conversion.impressionId),
    product: (conversion: ConversionRow) => (conversion.productId === null ? null : { id: conversion.productId }),
    store: (conversion: ConversionRow) => (conversion.storeId === null ? null : { id: conversion.storeId }),
  },
  Product: {
    // Tracking owns no product data: any id resolves, its fields come from tracking's read models.
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    campaigns: (product: { id: string }, _args: unknown, ctx: TrackingContext) => ctx.loaders.campaignsByProduct.load(product.id),
    conversionStats: (product: { id: string }, _args: unknown, ctx: TrackingContext) =>
      ctx.loaders.totals.load({ scope: 'product', subjectId: product.id }),
  },
  CampaignStats: {
    ...counterFields,
    campaignId: (stats: StatsView) => stats.subjectId,
    campaign: (stats: StatsView, _args: unknown, ctx: TrackingContext) => ctx.loaders.campaign.load(stats.subjectId),
    position: async (stats: StatsView, _args: unknown, ctx: TrackingContext) =>
      stats.position ?? (await ctx.loaders.campaign.load(stats.subjectId))?.position ?? '0',
    byInfluencer: (stats: StatsView, _args: unknown, ctx: TrackingContext) =>
      ctx.loaders.breakdown.load({ scope: 'campaign', subjectId: stats.subjectId, dimension: 'influencer' }),
    hourly: (stats: StatsView, args: Range, ctx: TrackingContext) => ctx.queries.hourly('campaign', stats.subjectId, args),
  },
  InfluencerStats: {
    ...counterFields,
    influencerId: (stats: StatsView) => stats.subjectId,
    influencer: (stats: StatsView, _args: unknown, ctx: TrackingContext) => ctx.loaders.influencer.load(stats.subjectId),
    position: async (stats: StatsView, _args: unknown, ctx: TrackingContext) =>
      stats.position ?? (await ctx.loaders.influencer.load(stats.subjectId))?.position ?? '0',
    byCampaign: (stats: StatsView, _args: unknown, ctx: TrackingContext) =>
      ctx.loaders.breakdown.load({ scope: 'influencer', subjectId: stats.subjectId, dimension: 'campaign' }),
    hourly: (stats: StatsView, args: Range, ctx: TrackingContext) => ctx.queries.hourly('influencer', stats.subjectId, args),
  },
  InfluencerBreakdown: {
    ...counterFields,
    influencerId: (entry: StatsView) => entry.key,
    influencer: (entry: StatsView, _args: unknown, ctx: TrackingContext) => ctx.loaders.influencer.load(entry.key),
  },
  CampaignBreakdown: {
    ...counterFields,
    campaignId: (entry: StatsView) => entry.key,
    campaign: (entry: StatsView, _args: unknown, ctx: TrackingContext) => ctx.loaders.campaign.load(entry.key),
  },
  HourlyStats: {
    ...counterFields,
    hour: (bucket: StatsView) => new Date(bucket.key),
  },
  ProductConversionStats: {
    id: statsId,
    productId: (stats: StatsView) => stats.subjectId,
    conversions: counterFields.conversions,
    unitsSold: counterFields.unitsSold,
    revenue: counterFields.revenue,
  },
  TrackingEvent: {
    id: eventId,
  },
};
