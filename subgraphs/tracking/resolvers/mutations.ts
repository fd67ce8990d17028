import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { DomainError } from '../../shared/errors/codes.js';
import type { CommandOptions, RegisterConversionInput } from '../commands/tracking-commands.js';
import type { TrackingContext } from '../context.js';
import type { Money, Platform } from '../domain/index.js';

type Instant = Date | null | undefined;

interface ImpressionFields {
  id: string;
  influencerId: string;
  occurredAt?: Instant;
}

async function campaignPayload(ctx: TrackingContext, campaignId: string, outcome: CommandOutcome) {
  ctx.loaders.campaign.clear(campaignId);
  return { campaign: await ctx.loaders.campaign.load(campaignId), events: outcome.events, replayed: outcome.replayed };
}

/** The campaign's stats after a command, read on demand. */
const freshStats = (ctx: TrackingContext, campaignId: string) => () => {
  ctx.loaders.totals.clear({ scope: 'campaign', subjectId: campaignId });
  return ctx.loaders.totals.load({ scope: 'campaign', subjectId: campaignId });
};

/** Field names of a batch entry (`impressions[0].impressionId`) → those of `registerImpression`'s input. */
const SINGLE_IMPRESSION_FIELDS: Readonly<Record<string, string>> = { impressionId: 'id' };
const FIRST_OF_BATCH = /impressions\[0\]\.(\w+)/g;

/**
 * `registerImpression` runs as a batch of one; an error names the batch's fields, which the
 * single mutation's caller never sent, so it is worded again with the single input's field names.
 */
function asSingleImpressionError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const rename = (text: string) => text.replace(FIRST_OF_BATCH, (_match, name: string) => SINGLE_IMPRESSION_FIELDS[name] ?? name);
  const field = error.extensions['field'];
  const extensions = typeof field === 'string' ? { ...error.extensions, field: rename(field) } : error.extensions;
  return new DomainError(error.code, rename(error.message), extensions);
}

/** Mutation resolvers: each runs one command and returns the committed read model and its events. */
export const mutationResolvers = {
  async createCampaign(
    _: unknown,
    {
      input,
    }: {
      input: { id?: string | null; name: string; budget?: Money | null; startsAt?: Instant; endsAt?: Instant; productId?: string | null } & CommandOptions;
    },
    ctx: TrackingContext,
  ) {
    const { campaignId, outcome } = await ctx.commands.createCampaign(input, ctx.metadata);
    return campaignPayload(ctx, campaignId, outcome);
  },
  async pauseCampaign(_: unknown, { input }: { input: { campaignId: string } & CommandOptions }, ctx: TrackingContext) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.pauseCampaign(input, ctx.metadata));
  },
  async resumeCampaign(_: unknown, { input }: { input: { campaignId: string } & CommandOptions }, ctx: TrackingContext) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.resumeCampaign(input, ctx.metadata));
  },
  async endCampaign(_: unknown, { input }: { input: { campaignId: string } & CommandOptions }, ctx: TrackingContext) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.endCampaign(input, ctx.metadata));
  },
  async registerInfluencer(
    _: unknown,
    { input }: { input: { id?: string | null; handle: string; platform: Platform } & CommandOptions },
    ctx: TrackingContext,
  ) {
    const { influencerId, outcome } = await ctx.commands.registerInfluencer(input, ctx.metadata);
    ctx.loaders.influencer.clear(influencerId);
    return { influencer: await ctx.loaders.influencer.load(influencerId), events: outcome.events, replayed: outcome.replayed };
  },
  async registerImpression(_: unknown, { input }: { input: ImpressionFields & { campaignId: string } }, ctx: TrackingContext) {
    const { campaignId, ...impression } = input;
    const outcome = await ctx.commands.registerImpressions({ campaignId, impressions: [impression] }, ctx.metadata).catch((error: unknown) => {
      throw asSingleImpressionError(error);
    });
    ctx.loaders.impression.clear(input.id);
    return {
      impression: await ctx.loaders.impression.load(input.id),
      stats: freshStats(ctx, campaignId),
      events: outcome.events,
      replayed: outcome.replayed,
    };
  },
  async registerImpressions(
    _: unknown,
    { input }: { input: { campaignId: string; impressions: ImpressionFields[] } },
    ctx: TrackingContext,
  ) {
    const outcome = await ctx.commands.registerImpressions(input, ctx.metadata);
    return {
      // Loaded only when selected: a batch may hold 10,000 ids.
      impressions: async () => {
        const loaded = await ctx.loaders.impression.loadMany(outcome.ids);
        return loaded.filter((row) => {
          if (row instanceof Error) throw row;
          return row !== null;
        });
      },
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      stats: freshStats(ctx, input.campaignId),
      events: outcome.events,
      replayed: outcome.replayed,
    };
  },
  async registerConversion(
    _: unknown,
    { input }: { input: RegisterConversionInput },
    ctx: TrackingContext,
  ) {
    const outcome = await ctx.commands.registerConversion(input, ctx.metadata);
    ctx.loaders.conversion.clear(input.id);
    return {
      conversion: await ctx.loaders.conversion.load(input.id),
      stats: freshStats(ctx, input.campaignId),
      events: outcome.events,
      replayed: outcome.replayed,
    };
  },
};
