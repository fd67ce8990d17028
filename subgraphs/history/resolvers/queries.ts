import type { AnalyzerPlugin } from '../analyzers/index.js';
import { validateVersion } from '../domain/index.js';
import { loadEntryAt } from './entities.js';
import type { QueryResolvers } from './resolvers-types.generated.js';

const ref = (plugin: AnalyzerPlugin) => ({ name: plugin.name, version: plugin.version });

/** Query resolvers. */
export const queryResolvers: Required<QueryResolvers> = {
  entry: (_, args, ctx) => {
    if (args.version == null) return ctx.loaders.entry.load(args.id);
    return loadEntryAt(ctx, args.id, validateVersion(args.version, 'version'));
  },
  entryVersion: (_, args, ctx) => ctx.loaders.version.load({ entryId: args.id, version: validateVersion(args.version, 'version') }),
  entries: (_, args, ctx) => ctx.queries.entries(args),
  entryEvents: (_, args, ctx) => ctx.queries.entryEvents(args.id, args),
  assessment: (_, args, ctx) => ctx.loaders.assessment.load(args.id),
  comparison: (_, args, ctx) => ctx.loaders.comparison.load(args.id),
  comparisons: (_, args, ctx) => ctx.queries.comparisons(args),
  modelAnalytics: (_, args, ctx) => ctx.loaders.modelAnalytics.load(args.model),
  allModelAnalytics: async (_, _args, ctx) => {
    const names = await ctx.queries.modelNames();
    const rows = await ctx.loaders.modelAnalytics.loadMany(names);
    return rows.flatMap((row) => (row === null || row instanceof Error ? [] : [row]));
  },
  analysisJob: (_, args, ctx) => ctx.loaders.job.load(args.id),
  analysisJobs: (_, args, ctx) => ctx.queries.analysisJobs(args),
  analyzers: (_, _args, ctx) => {
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
