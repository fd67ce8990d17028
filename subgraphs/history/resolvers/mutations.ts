import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import type { CommandOptions } from '../commands/history-commands.js';
import type { AnalysisFilter, EntrySubject } from '../domain/index.js';
import type { HistoryContext } from '../context.js';
import { evolveAnalysisJobRow } from '../projections/analysis-projection.js';

/** The committed entry, bypassing what this request's loaders cached before the change. */
function freshEntry(ctx: HistoryContext, entryId: string) {
  ctx.loaders.entry.clear(entryId);
  ctx.loaders.versionsByEntry.clear(entryId);
  ctx.loaders.entriesBySubject.clearAll();
  ctx.loaders.modelAnalytics.clearAll();
  return ctx.loaders.entry.load(entryId);
}

const eventsOf = (outcome: CommandOutcome) => ({ events: outcome.events, replayed: outcome.replayed });

type FilterInput = { [K in keyof AnalysisFilter]?: AnalysisFilter[K] | Date | null };

/** Mutation resolvers: each runs one command and returns the committed read model and its events. */
export const mutationResolvers = {
  async createEntry(
    _: unknown,
    { input }: { input: { id?: string | null; model: string; prompt?: string | null; content: string; subject?: EntrySubject | null } & CommandOptions },
    ctx: HistoryContext,
  ) {
    const { entryId, outcome } = await ctx.commands.createEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async updateEntry(_: unknown, { input }: { input: { id: string; content: string; prompt?: string | null } & CommandOptions }, ctx: HistoryContext) {
    const { entryId, outcome } = await ctx.commands.updateEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async deleteEntry(_: unknown, { input }: { input: { id: string; reason?: string | null } & CommandOptions }, ctx: HistoryContext) {
    const { entryId, outcome } = await ctx.commands.deleteEntry(input, ctx.metadata);
    return { entry: await freshEntry(ctx, entryId), ...eventsOf(outcome) };
  },
  async assessQuality(_: unknown, { input }: { input: { entryId: string; assessor?: string | null } & CommandOptions }, ctx: HistoryContext) {
    const { entryId, assessmentId, outcome } = await ctx.commands.assessQuality(input, ctx.metadata);
    const entry = await freshEntry(ctx, entryId);
    ctx.loaders.assessment.clear(assessmentId);
    return { assessment: await ctx.loaders.assessment.load(assessmentId), entry, ...eventsOf(outcome) };
  },
  async compareEntries(
    _: unknown,
    { input }: { input: { id?: string | null; leftId: string; rightId: string; leftVersion?: number | null; rightVersion?: number | null } & CommandOptions },
    ctx: HistoryContext,
  ) {
    const { comparisonId, outcome } = await ctx.commands.compareEntries(input, ctx.metadata);
    ctx.loaders.comparison.clear(comparisonId);
    return { comparison: await ctx.loaders.comparison.load(comparisonId), ...eventsOf(outcome) };
  },
  async startAnalysis(
    _: unknown,
    { input }: { input: { id?: string | null; filter?: FilterInput | null; assessor?: string | null } & CommandOptions },
    ctx: HistoryContext,
  ) {
    const filter = input.filter
      ? Object.fromEntries(Object.entries(input.filter).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]))
      : null;
    const { outcome } = await ctx.commands.startAnalysis({ ...input, filter: filter as Partial<AnalysisFilter> | null }, ctx.metadata);
    ctx.runner.wake();
    // The job as this command left it; the runner moves it on in the background (see analysisJob).
    const job = outcome.events.reduce(evolveAnalysisJobRow, undefined);
    return { job, ...eventsOf(outcome) };
  },
};
