import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { requiredRow } from '../../shared/graphql/required-row.js';
import type { AnalysisFilter } from '../domain/index.js';
import type { HistoryContext } from '../context.js';
import { evolveAnalysisJobRow } from '../projections/analysis-projection.js';
import type { AnalysisFilterInput, MutationResolvers } from './resolvers-types.generated.js';

/** The committed entry, bypassing what this request's loaders cached before the change. */
async function freshEntry(ctx: HistoryContext, entryId: string) {
  ctx.loaders.clearAll();
  return requiredRow(await ctx.loaders.entry.load(entryId), `entry ${entryId}`);
}

const eventsOf = (outcome: CommandOutcome) => ({ events: outcome.events, replayed: outcome.replayed });

/** A job filter as the command takes it: the fields the client sent, instants as ISO strings. */
function jobFilterOf(input: AnalysisFilterInput): Partial<AnalysisFilter> {
  const { createdAfter, createdBefore, ...fields } = input;
  return {
    ...fields,
    ...(createdAfter !== undefined ? { createdAfter: createdAfter === null ? null : createdAfter.toISOString() } : {}),
    ...(createdBefore !== undefined ? { createdBefore: createdBefore === null ? null : createdBefore.toISOString() } : {}),
  };
}

/** Mutation resolvers: each runs one command and returns the committed read model and its events. */
export const mutationResolvers: Required<MutationResolvers> = {
  async createEntry(_, { input }, ctx) {
    const { entryId, outcome } = await ctx.commands.createEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async updateEntry(_, { input }, ctx) {
    const { entryId, outcome } = await ctx.commands.updateEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async deleteEntry(_, { input }, ctx) {
    const { entryId, outcome } = await ctx.commands.deleteEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async assessQuality(_, { input }, ctx) {
    const { entryId, assessmentId, outcome } = await ctx.commands.assessQuality(input, ctx.metadata);
    // freshEntry cleared the assessment loader too.
    const entry = await freshEntry(ctx, entryId);
    const assessment = requiredRow(await ctx.loaders.assessment.load(assessmentId), `assessment ${assessmentId}`);
    return { assessment, entry, ...eventsOf(outcome) };
  },
  async compareEntries(_, { input }, ctx) {
    const { comparisonId, outcome } = await ctx.commands.compareEntries(input, ctx.metadata);
    ctx.loaders.clearAll();
    const comparison = requiredRow(await ctx.loaders.comparison.load(comparisonId), `comparison ${comparisonId}`);
    return { comparison, ...eventsOf(outcome) };
  },
  async startAnalysis(_, { input }, ctx) {
    const filter = input.filter ? jobFilterOf(input.filter) : null;
    const { jobId, outcome } = await ctx.commands.startAnalysis({ ...input, filter }, ctx.metadata);
    ctx.runner.wake();
    // The job as this command left it; the runner moves it on in the background (see analysisJob).
    const job = requiredRow(outcome.events.reduce(evolveAnalysisJobRow, undefined), `analysis job ${jobId}`);
    return { job, ...eventsOf(outcome) };
  },
};
