import {
  createPluginRunner,
  defaultRegistry,
  selectAnalyzers,
  type AnalysisPoolOptions,
  type AnalyzerConfig,
  type AnalyzerRegistry,
  type AnalyzerSelection,
  type PluginRunner,
  type QualityAssessor,
} from './analyzers/index.js';
import type { ComparisonPluginSet, EntryPlugins } from './domain/index.js';

/**
 * Analyzer configuration from the environment: `HISTORY_ANALYZER` (content analyzer name),
 * `HISTORY_ASSESSOR` (quality assessor name) and `HISTORY_SIMILARITY` (comma-separated similarity
 * calculators, the first being a comparison's primary similarity). Unset means the default.
 */
export function analyzerConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AnalyzerConfig {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const similarity = text('HISTORY_SIMILARITY')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return {
    ...(text('HISTORY_ANALYZER') ? { analyzer: text('HISTORY_ANALYZER') } : {}),
    ...(text('HISTORY_ASSESSOR') ? { assessor: text('HISTORY_ASSESSOR') } : {}),
    ...(similarity && similarity.length > 0 ? { similarity } : {}),
  };
}

/**
 * Analysis threads from the environment: `HISTORY_ANALYSIS_THREADS` (0 runs the analyzers on the
 * event loop) and `HISTORY_ANALYSIS_TIMEOUT_MS` (per task). Unset means the default; anything
 * but a whole number (positive for the timeout) fails at startup.
 */
export function analysisPoolConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AnalysisPoolOptions {
  const whole = (name: string, min: number): number | undefined => {
    const text = env[name]?.trim();
    if (!text) return undefined;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${text}"`);
    return value;
  };
  const threads = whole('HISTORY_ANALYSIS_THREADS', 0);
  const taskTimeoutMs = whole('HISTORY_ANALYSIS_TIMEOUT_MS', 1);
  return { ...(threads !== undefined ? { threads } : {}), ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}) };
}

/** Where the history subgraph gets its plugins from, and where they run. */
export interface HistoryAnalyzerOptions {
  /** Which plugins run; defaults to {@link analyzerConfigFromEnv}. */
  readonly config?: AnalyzerConfig;
  /** Registry of available plugins; defaults to the built-ins. Register extra plugins here. */
  readonly registry?: AnalyzerRegistry;
  /**
   * The analysis threads the built-in plugins run on (plugins registered at run time run on the
   * event loop); defaults to {@link analysisPoolConfigFromEnv}.
   */
  readonly pool?: AnalysisPoolOptions;
}

/** The selected plugins, shaped for the deciders. */
export interface HistoryPlugins {
  readonly registry: AnalyzerRegistry;
  readonly selection: AnalyzerSelection;
  readonly entry: EntryPlugins;
  readonly comparison: ComparisonPluginSet;
  /** The assessor of that name (registered), or the selected one for null. */
  assessor(name: string | null): QualityAssessor | undefined;
  /** Runs the plugins for the commands, before their transactions (on the analysis threads). */
  readonly runner: PluginRunner;
  /** Ends the analysis threads. */
  close(): Promise<void>;
}

/**
 * Resolves the configuration against the registry; throws on unknown plugin names (at startup).
 * The analysis threads start with the first analysis, not here.
 */
export function createHistoryPlugins(options: HistoryAnalyzerOptions = {}): HistoryPlugins {
  const registry = options.registry ?? defaultRegistry();
  const selection = selectAnalyzers(options.config ?? analyzerConfigFromEnv(), registry);
  const assessor = (name: string | null) => (name === null ? selection.assessor : registry.get('assessor', name));
  const runner = createPluginRunner(options.pool ?? analysisPoolConfigFromEnv());
  return {
    registry,
    selection,
    assessor,
    runner,
    close: () => runner.close(),
    entry: { analyzer: selection.analyzer, assessor },
    comparison: { analyzer: selection.analyzer, similarity: selection.similarity, assessor: selection.assessor },
  };
}
