import type { AnalyzerPlugin } from '../analyzers/index.js';
import type { AnalysisStatus, SubjectType } from '../domain/index.js';
import { validateVersion } from '../domain/index.js';
import type { HistoryContext } from '../context.js';
import { loadEntryAt } from './entities.js';

type Page = { first?: number | null; after?: string | null };

const ref = (plugin: AnalyzerPlugin) => ({ name: plugin.name, version: plugin.version });

/** Query resolvers. */
export const queryResolvers = {
  entry: (_: unknown, args: { id: string; version?: number | null }, ctx: HistoryContext) => {
    if (args.version == null) return ctx.loaders.entry.load(args.id);
    return loadEntryAt(ctx, args.id, validateVersion(args.version, 'version'));
  },
  entryVersion: (_: unknown, args: { id: string; version: number }, ctx: HistoryContext) =>
    ctx.loaders.version.load({ entryId: args.id, version: validateVersion(args.version, 'version') }),
  entries: (
    _: unknown,
    args: Page & { model?: string | null; subjectType?: SubjectType | null; subjectId?: string | null; includeDeleted?: boolean | null },
    ctx: HistoryContext,
  ) => ctx.queries.entries(args),
  entryEvents: (_: unknown, args: Page & { id: string }, ctx: HistoryContext) => ctx.queries.entryEvents(args.id, args),
  assessment: (_: unknown, args: { id: string }, ctx: HistoryContext) => ctx.loaders.assessment.load(args.id),
  comparison: (_: unknown, args: { id: string }, ctx: HistoryContext) => ctx.loaders.comparison.load(args.id),
  comparisons: (_: unknown, args: Page & { entryId?: string | null }, ctx: HistoryContext) => ctx.queries.comparisons(args),
  modelAnalytics: (_: unknown, args: { model: string }, ctx: HistoryContext) => ctx.loaders.modelAnalytics.load(args.model),
  allModelAnalytics: async (_: unknown, _args: unknown, ctx: HistoryContext) => {
    const names = await ctx.queries.modelNames();
    const rows = await ctx.loaders.modelAnalytics.loadMany(names);
    return rows.filter((row) => row !== null && !(row instanceof Error));
  },
  analysisJob: (_: unknown, args: { id: string }, ctx: HistoryContext) => ctx.loaders.job.load(args.id),
  analysisJobs: (_: unknown, args: Page & { status?: AnalysisStatus | null }, ctx: HistoryContext) => ctx.queries.analysisJobs(args),
  analyzers: (_: unknown, _args: unknown, ctx: HistoryContext) => {
    const { selection, registry } = ctx.plugins;
    return {
      analyzer: ref(selection.analyzer),
      assessor: ref(selection.assessor),
      similarity: selection.similarity.map(ref),
      registered: {
        analyzers: registry.list('analyzer').map(ref),
        assessors: registry.list('assessor').map(ref),
        similarity: registry.list('similarity').map(ref),
      },
    };
  },
};
