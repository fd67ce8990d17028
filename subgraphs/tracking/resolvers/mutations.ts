import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { DomainError } from '../../shared/errors/codes.js';
import { presentRows } from '../../shared/graphql/batch-results.js';
import { requiredRow } from '../../shared/graphql/required-row.js';
import type { ActivityOutcome } from '../commands/tracking-commands.js';
import type { TrackingContext } from '../context.js';
import type { ConversionRow, ImpressionRow } from '../read-models/rows.js';
import type { MutationResolvers, Resolvers } from './resolvers-types.generated.js';

/** What `registerImpression` resolves to; its `stats` are read only when selected. */
export interface ImpressionResult extends ActivityOutcome {
  readonly impression: ImpressionRow;
}

/** What `registerConversion` resolves to; its `stats` are read only when selected. */
export interface ConversionResult extends ActivityOutcome {
  readonly conversion: ConversionRow;
}

async function campaignPayload(ctx: TrackingContext, campaignId: string, outcome: CommandOutcome) {
  ctx.loaders.clearAll();
  const campaign = requiredRow(await ctx.loaders.campaign.load(campaignId), `campaign ${campaignId}`);
  return { campaign, events: outcome.events, replayed: outcome.replayed };
}

/** The campaign's stats after a command. */
function freshStats(ctx: TrackingContext, campaignId: string) {
  ctx.loaders.clearAll();
  return ctx.loaders.totals.load({ scope: 'campaign', subjectId: campaignId });
}

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
export const mutationResolvers: Required<MutationResolvers> = {
  async createCampaign(_, { input }, ctx) {
    const { campaignId, outcome } = await ctx.commands.createCampaign(input, ctx.metadata);
    return campaignPayload(ctx, campaignId, outcome);
  },
  async pauseCampaign(_, { input }, ctx) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.pauseCampaign(input, ctx.metadata));
  },
  async resumeCampaign(_, { input }, ctx) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.resumeCampaign(input, ctx.metadata));
  },
  async endCampaign(_, { input }, ctx) {
    return campaignPayload(ctx, input.campaignId, await ctx.commands.endCampaign(input, ctx.metadata));
  },
  async registerInfluencer(_, { input }, ctx) {
    const { influencerId, outcome } = await ctx.commands.registerInfluencer(input, ctx.metadata);
    ctx.loaders.clearAll();
    const influencer = requiredRow(await ctx.loaders.influencer.load(influencerId), `influencer ${influencerId}`);
    return { influencer, events: outcome.events, replayed: outcome.replayed };
  },
  async registerImpression(_, { input }, ctx) {
    const { campaignId, ...impression } = input;
    const outcome = await ctx.commands.registerImpressions({ campaignId, impressions: [impression] }, ctx.metadata).catch((error: unknown) => {
      throw asSingleImpressionError(error);
    });
    ctx.loaders.clearAll();
    return {
      campaignId,
      impression: requiredRow(await ctx.loaders.impression.load(input.id), `impression ${input.id}`),
      events: outcome.events,
      replayed: outcome.replayed,
    };
  },
  // The batch's outcome: its impressions (up to 10,000) and stats are read only when selected.
  registerImpressions: (_, { input }, ctx) => ctx.commands.registerImpressions(input, ctx.metadata),
  async registerConversion(_, { input }, ctx) {
    const outcome = await ctx.commands.registerConversion(input, ctx.metadata);
    ctx.loaders.clearAll();
    return {
      campaignId: input.campaignId,
      conversion: requiredRow(await ctx.loaders.conversion.load(input.id), `conversion ${input.id}`),
      events: outcome.events,
      replayed: outcome.replayed,
    };
  },
};

/** The payloads whose fields are read after the mutation, only when selected. */
export const payloadResolvers: Resolvers = {
  RegisterImpressionPayload: {
    stats: (result, _args, ctx) => freshStats(ctx, result.campaignId),
  },
  RegisterImpressionsPayload: {
    impressions: async (outcome, _args, ctx) => presentRows(await ctx.loaders.impression.loadMany(outcome.ids)),
    stats: (outcome, _args, ctx) => freshStats(ctx, outcome.campaignId),
  },
  RegisterConversionPayload: {
    stats: (result, _args, ctx) => freshStats(ctx, result.campaignId),
  },
};
