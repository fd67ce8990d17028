import { presentRows } from '../../shared/graphql/batch-results.js';
import { requiredRow } from '../../shared/graphql/required-row.js';
import type { TrackingContext } from '../context.js';
import { toMoney } from '../domain/index.js';
import { conversionRate, revenueAsMoney } from '../projections/stats/index.js';
import { campaignStatusAt } from '../read-models/campaign-status.js';
import { eventId, statsId } from '../read-models/identities.js';
import type { CampaignStatsResolvers, Resolvers } from './resolvers-types.generated.js';

/** The campaign a row refers to: activity and counters never outlive it. */
const campaignOf = async (ctx: TrackingContext, id: string) => requiredRow(await ctx.loaders.campaign.load(id), `campaign ${id}`);

/** The influencer a row refers to: activity and counters never outlive it. */
const influencerOf = async (ctx: TrackingContext, id: string) => requiredRow(await ctx.loaders.influencer.load(id), `influencer ${id}`);

/** Fields every counter view shares (stats, breakdown entries, hourly buckets): all resolve a StatsView. */
const counterFields = {
  id: statsId,
  impressions: (view) => view.impressions,
  conversions: (view) => view.conversions,
  conversionRate: (view) => conversionRate(view),
  revenue: (view) => revenueAsMoney(view.revenue),
  unitsSold: (view) => view.units,
} satisfies CampaignStatsResolvers;

/** Field resolvers of the tracking entities and stats types, including federation's `__resolveReference`. */
export const entityResolvers: Resolvers = {
  Campaign: {
    __resolveReference: (reference, ctx) => ctx.loaders.campaign.load(reference.id),
    status: (campaign) => campaignStatusAt(campaign, Date.now()),
    budget: (campaign) =>
      campaign.budgetMinor === null || campaign.budgetCurrency === null
        ? null
        : toMoney({ amountMinor: Number(campaign.budgetMinor), currency: campaign.budgetCurrency }),
    // A stub: the inventory subgraph resolves the rest through the router.
    product: (campaign) => (campaign.productId === null ? null : { id: campaign.productId }),
    stats: (campaign, _args, ctx) => ctx.loaders.totals.load({ scope: 'campaign', subjectId: campaign.id }),
    impressions: (campaign, args, ctx) => ctx.queries.impressions({ campaignId: campaign.id }, args),
    conversions: (campaign, args, ctx) => ctx.queries.conversions({ campaignId: campaign.id }, args),
    influencers: async (campaign, _args, ctx) => {
      const entries = await ctx.loaders.breakdown.load({ scope: 'campaign', subjectId: campaign.id, dimension: 'influencer' });
      return presentRows(await ctx.loaders.influencer.loadMany(entries.map((entry) => entry.key)));
    },
  },
  Influencer: {
    __resolveReference: (reference, ctx) => ctx.loaders.influencer.load(reference.id),
    stats: (influencer, _args, ctx) => ctx.loaders.totals.load({ scope: 'influencer', subjectId: influencer.id }),
    impressions: (influencer, args, ctx) => ctx.queries.impressions({ influencerId: influencer.id }, args),
    conversions: (influencer, args, ctx) => ctx.queries.conversions({ influencerId: influencer.id }, args),
    campaigns: async (influencer, _args, ctx) => {
      const entries = await ctx.loaders.breakdown.load({ scope: 'influencer', subjectId: influencer.id, dimension: 'campaign' });
      return presentRows(await ctx.loaders.campaign.loadMany(entries.map((entry) => entry.key)));
    },
  },
  Impression: {
    __resolveReference: (reference, ctx) => ctx.loaders.impression.load(reference.id),
    campaign: (impression, _args, ctx) => campaignOf(ctx, impression.campaignId),
    influencer: (impression, _args, ctx) => influencerOf(ctx, impression.influencerId),
  },
  Conversion: {
    __resolveReference: (reference, ctx) => ctx.loaders.conversion.load(reference.id),
    campaign: (conversion, _args, ctx) => campaignOf(ctx, conversion.campaignId),
    influencer: (conversion, _args, ctx) => influencerOf(ctx, conversion.influencerId),
    value: (conversion) => toMoney({ amountMinor: Number(conversion.amountMinor), currency: conversion.currency }),
    impression: (conversion, _args, ctx) => (conversion.impressionId === null ? null : ctx.loaders.impression.load(conversion.impressionId)),
    product: (conversion) => (conversion.productId === null ? null : { id: conversion.productId }),
    store: (conversion) => (conversion.storeId === null ? null : { id: conversion.storeId }),
  },
  Product: {
    // Tracking owns no product data: any id resolves, its fields come from tracking's read models.
    __resolveReference: (reference) => ({ id: reference.id }),
    campaigns: (product, _args, ctx) => ctx.loaders.campaignsByProduct.load(product.id),
    conversionStats: (product, _args, ctx) => ctx.loaders.totals.load({ scope: 'product', subjectId: product.id }),
  },
  CampaignStats: {
    ...counterFields,
    campaignId: (stats) => stats.subjectId,
    campaign: (stats, _args, ctx) => campaignOf(ctx, stats.subjectId),
    position: async (stats, _args, ctx) => stats.position ?? (await ctx.loaders.campaign.load(stats.subjectId))?.position ?? '0',
    byInfluencer: (stats, _args, ctx) => ctx.loaders.breakdown.load({ scope: 'campaign', subjectId: stats.subjectId, dimension: 'influencer' }),
    hourly: (stats, args, ctx) => ctx.queries.hourly('campaign', stats.subjectId, args),
  },
  InfluencerStats: {
    ...counterFields,
    influencerId: (stats) => stats.subjectId,
    influencer: (stats, _args, ctx) => influencerOf(ctx, stats.subjectId),
    position: async (stats, _args, ctx) => stats.position ?? (await ctx.loaders.influencer.load(stats.subjectId))?.position ?? '0',
    byCampaign: (stats, _args, ctx) => ctx.loaders.breakdown.load({ scope: 'influencer', subjectId: stats.subjectId, dimension: 'campaign' }),
    hourly: (stats, args, ctx) => ctx.queries.hourly('influencer', stats.subjectId, args),
  },
  InfluencerBreakdown: {
    ...counterFields,
    influencerId: (entry) => entry.key,
    influencer: (entry, _args, ctx) => influencerOf(ctx, entry.key),
  },
  CampaignBreakdown: {
    ...counterFields,
    campaignId: (entry) => entry.key,
    campaign: (entry, _args, ctx) => campaignOf(ctx, entry.key),
  },
  HourlyStats: {
    ...counterFields,
    hour: (bucket) => new Date(bucket.key),
  },
  ProductConversionStats: {
    id: statsId,
    productId: (stats) => stats.subjectId,
    conversions: counterFields.conversions,
    unitsSold: counterFields.unitsSold,
    revenue: counterFields.revenue,
  },
  TrackingEvent: {
    id: eventId,
  },
};
