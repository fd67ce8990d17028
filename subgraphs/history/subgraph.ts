import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { DateTimeScalar, JSONScalar } from '../shared/graphql/scalars.js';
import type { Platform } from '../shared/platform.js';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition.js';
import { historyCommands } from './commands/history-commands.js';
import { createHistoryPlugins, type HistoryAnalyzerOptions } from './config.js';
import type { HistoryContext } from './context.js';
import { AnalysisRunner } from './jobs/analysis-runner.js';
import { createHistoryLoaders } from './read-models/loaders.js';
import { historyQueries } from './read-models/queries.js';
import { entityResolvers } from './resolvers/entities.js';
import type { Resolvers } from './resolvers/resolvers-types.generated.js';
import { mutationResolvers } from './resolvers/mutations.js';
import { queryResolvers } from './resolvers/queries.js';
import { subscriptionResolvers } from './resolvers/subscriptions.js';

/** The history SDL, as composed into the supergraph. */
export const historyTypeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface HistoryOptions {
  /** Analyzer plugins: registry and selection (defaults: built-ins, selected by HISTORY_* env). */
  readonly analyzers?: HistoryAnalyzerOptions;
  /** Background analysis jobs. */
  readonly jobs?: {
    /** Lease duration without heartbeat (ms, default 15 000). */
    readonly leaseMs?: number;
    /** How often RUNNING jobs are looked for (ms, default 1 000). */
    readonly pollIntervalMs?: number;
    /** Checkpoint every this many entries (default 25). */
    readonly progressEvery?: number;
    /** Entries read per query (default 100). */
    readonly batchSize?: number;
    /** Assessments of one job in flight at once (default 4). */
    readonly concurrency?: number;
    /** Runner name in the leases table (default: unique per process). */
    readonly owner?: string;
    /** false: do not run jobs in this process (they wait for another replica). Default true. */
    readonly run?: boolean;
  };
}

/** History of AI outputs with versions, quality assessments, comparisons, analytics and analysis jobs. */
export function historySubgraph(platform: Platform, options: HistoryOptions = {}): SubgraphDefinition<HistoryContext> & { runner: AnalysisRunner } {
  const plugins = createHistoryPlugins(options.analyzers);
  const commands = historyCommands(platform, plugins);
  const queries = historyQueries(platform);
  const jobs = options.jobs ?? {};
  const runner = new AnalysisRunner({
    platform,
    commands,
    plugins,
    logger: platform.logger.child({ component: 'history-analysis-runner' }),
    ...(jobs.leaseMs ? { leaseMs: jobs.leaseMs } : {}),
    ...(jobs.pollIntervalMs ? { pollIntervalMs: jobs.pollIntervalMs } : {}),
    ...(jobs.progressEvery ? { progressEvery: jobs.progressEvery } : {}),
    ...(jobs.batchSize ? { batchSize: jobs.batchSize } : {}),
    ...(jobs.concurrency ? { concurrency: jobs.concurrency } : {}),
    ...(jobs.owner ? { owner: jobs.owner } : {}),
  });
  const resolvers: Resolvers = {
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    Query: queryResolvers,
    Mutation: mutationResolvers,
    Subscription: subscriptionResolvers,
    ...entityResolvers,
  };
  return {
    name: 'history',
    typeDefs: historyTypeDefs,
    resolvers,
    createContext: (base) => ({ ...base, platform, commands, queries, plugins, runner, loaders: createHistoryLoaders(platform.db.kysely) }),
    runner,
    start: async () => {
      if (jobs.run !== false) runner.start();
    },
    stop: async () => {
      await runner.stop();
      await plugins.close();
    },
  };
}
