import type { Platform } from '../shared/platform.js';
import type { RequestContext } from '../shared/server/request-context.js';
import type { HistoryCommands } from './commands/history-commands.js';
import type { HistoryPlugins } from './config.js';
import type { AnalysisRunner } from './jobs/analysis-runner.js';
import type { HistoryLoaders } from './read-models/loaders.js';
import type { HistoryQueries } from './read-models/queries.js';

/** The context of every history resolver. */
export interface HistoryContext extends RequestContext {
  readonly platform: Platform;
  readonly commands: HistoryCommands;
  readonly queries: HistoryQueries;
  readonly loaders: HistoryLoaders;
  readonly plugins: HistoryPlugins;
  readonly runner: AnalysisRunner;
}
