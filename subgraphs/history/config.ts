import {
  defaultRegistry,
  selectAnalyzers,
  type AnalyzerConfig,
  type AnalyzerRegistry,
  type AnalyzerSelection,
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

/** Where the history subgraph gets its plugins from. */
export interface HistoryAnalyzerOptions {
  /** Which plugins run; defaults to {@link analyzerConfigFromEnv}. */
  readonly config?: AnalyzerConfig;
  /** Registry of available plugins; defaults to the built-ins. Register extra plugins here. */
  readonly registry?: AnalyzerRegistry;
}

/** The selected plugins, shaped for the deciders. */
export interface HistoryPlugins {
  readonly registry: AnalyzerRegistry;
  readonly selection: AnalyzerSelection;
  readonly entry: EntryPlugins;
  readonly comparison: ComparisonPluginSet;
  /** The assessor of that name (registered), or the selected one for null. */
  assessor(name: string | null): QualityAssessor | undefined;
}

/** Resolves the configuration against the registry; throws on unknown plugin names (at startup). */
export function createHistoryPlugins(options: HistoryAnalyzerOptions = {}): HistoryPlugins {
  const registry = options.registry ?? defaultRegistry();
  const selection = selectAnalyzers(options.config ?? analyzerConfigFromEnv(), registry);
  const assessor = (name: string | null) => (name === null ? selection.assessor : registry.get('assessor', name));
  return {
    registry,
    selection,
    assessor,
    entry: { analyzer: selection.analyzer, assessor },
    comparison: { analyzer: selection.analyzer, similarity: selection.similarity, assessor: selection.assessor },
  };
}
