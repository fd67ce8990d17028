import type { AnalyzerKind, AnalyzerKinds, ContentAnalyzer, QualityAssessor, SimilarityCalculator } from './contract.js';
import { basicMetricsAnalyzer } from './content/basic-metrics.js';
import { heuristicAssessor } from './quality/heuristic-assessor.js';
import { editDistanceSimilarity } from './similarity/edit-distance.js';
import { jaccardSimilarity } from './similarity/jaccard.js';
import { tfidfCosineSimilarity } from './similarity/tfidf-cosine.js';

/** Method each plugin kind must implement, checked when a plugin is registered. */
const REQUIRED_METHOD: Readonly<Record<AnalyzerKind, string>> = {
  analyzer: 'analyze',
  assessor: 'assess',
  similarity: 'compare',
};

/** Human-readable name of each kind, for error messages. */
const KIND_LABEL: Readonly<Record<AnalyzerKind, string>> = {
  analyzer: 'content analyzer',
  assessor: 'quality assessor',
  similarity: 'similarity calculator',
};

/** Plugins by kind and name. Names are unique within a kind. */
export interface AnalyzerRegistry {
  /** Adds a plugin; throws if it is malformed or its name is already taken in that kind. */
  register<K extends AnalyzerKind>(kind: K, plugin: AnalyzerKinds[K]): AnalyzerRegistry;
  /** The plugin of that kind and name, or `undefined`. */
  get<K extends AnalyzerKind>(kind: K, name: string): AnalyzerKinds[K] | undefined;
  /** Every plugin of a kind, in registration order. */
  list<K extends AnalyzerKind>(kind: K): Array<AnalyzerKinds[K]>;
}

/** Creates an empty registry. */
export function createAnalyzerRegistry(): AnalyzerRegistry {
  const plugins: { [K in AnalyzerKind]: Map<string, AnalyzerKinds[K]> } = {
    analyzer: new Map(),
    assessor: new Map(),
    similarity: new Map(),
  };
  const registry: AnalyzerRegistry = {
    register(kind, plugin) {
      assertPlugin(kind, plugin);
      const byName = plugins[kind];
      if (byName.has(plugin.name)) {
        throw new Error(`A ${KIND_LABEL[kind]} named "${plugin.name}" is already registered`);
      }
      byName.set(plugin.name, plugin);
      return registry;
    },
    get: (kind, name) => plugins[assertKind(kind)].get(name),
    list: (kind) => [...plugins[assertKind(kind)].values()],
  };
  return registry;
}

/** Guards against kinds that slip past the types (e.g. from untyped configuration). */
function assertKind<K extends AnalyzerKind>(kind: K): K {
  if (!Object.hasOwn(REQUIRED_METHOD, kind)) {
    const kinds = Object.keys(REQUIRED_METHOD).join(', ');
    throw new Error(`Unknown analyzer kind "${String(kind)}"; kinds: ${kinds}`);
  }
  return kind;
}

function assertPlugin(kind: AnalyzerKind, plugin: unknown): void {
  assertKind(kind);
  const label = KIND_LABEL[kind];
  const candidate = plugin as Partial<Record<string, unknown>> | null;
  if (typeof candidate?.name !== 'string' || candidate.name.trim() === '') {
    throw new Error(`A ${label} needs a non-empty name`);
  }
  if (typeof candidate.version !== 'string' || candidate.version.trim() === '') {
    throw new Error(`The ${label} "${candidate.name}" needs a non-empty version`);
  }
  if (typeof candidate[REQUIRED_METHOD[kind]] !== 'function') {
    throw new Error(`The ${label} "${candidate.name}" must implement ${REQUIRED_METHOD[kind]}()`);
  }
}

/** Name of the default content analyzer. */
export const DEFAULT_ANALYZER = 'basic-metrics';
/** Name of the default quality assessor. */
export const DEFAULT_ASSESSOR = 'heuristic';
/** Default similarity calculators; the first is the primary similarity of a comparison. */
export const DEFAULT_SIMILARITY: readonly string[] = ['tfidf-cosine', 'jaccard', 'edit-distance'];

/**
 * A fresh registry holding the built-in plugins: `basic-metrics`, `heuristic`,
 * `tfidf-cosine`, `jaccard` and `edit-distance`. Each call returns a new registry, so
 * registering extra plugins on one never affects another.
 */
export function defaultRegistry(): AnalyzerRegistry {
  return createAnalyzerRegistry()
    .register('analyzer', basicMetricsAnalyzer)
    .register('assessor', heuristicAssessor)
    .register('similarity', tfidfCosineSimilarity)
    .register('similarity', jaccardSimilarity)
    .register('similarity', editDistanceSimilarity);
}

/** Which plugins to use, by name; anything left out uses the default. */
export interface AnalyzerConfig {
  /** Content analyzer name (default `"basic-metrics"`). */
  readonly analyzer?: string;
  /** Quality assessor name (default `"heuristic"`). */
  readonly assessor?: string;
  /** Similarity calculators in order; the first is a comparison's primary `similarity`. */
  readonly similarity?: readonly string[];
}

/** The plugins chosen by an {@link AnalyzerConfig}. */
export interface AnalyzerSelection {
  /** Computes the metrics of a text. */
  readonly analyzer: ContentAnalyzer;
  /** Scores the quality of a text. */
  readonly assessor: QualityAssessor;
  /** At least one calculator, in configured order, without duplicates. */
  readonly similarity: readonly SimilarityCalculator[];
}

/**
 * Resolves a configuration to plugins of `registry` (the built-ins by default). Throws an Error
 * naming the available plugins when a name is unknown, or when `similarity` is an empty list.
 */
export function selectAnalyzers(config: AnalyzerConfig = {}, registry: AnalyzerRegistry = defaultRegistry()): AnalyzerSelection {
  const similarityNames = [...new Set(config.similarity ?? DEFAULT_SIMILARITY)];
  if (similarityNames.length === 0) {
    const choices = available(registry, 'similarity');
    throw new Error(`Select at least one similarity calculator; ${choices}`);
  }
  return {
    analyzer: pick(registry, 'analyzer', config.analyzer ?? DEFAULT_ANALYZER),
    assessor: pick(registry, 'assessor', config.assessor ?? DEFAULT_ASSESSOR),
    similarity: similarityNames.map((name) => pick(registry, 'similarity', name)),
  };
}

function pick<K extends AnalyzerKind>(registry: AnalyzerRegistry, kind: K, name: string): AnalyzerKinds[K] {
  const plugin = registry.get(kind, name);
  if (plugin === undefined) {
    throw new Error(`Unknown ${KIND_LABEL[kind]} "${name}"; ${available(registry, kind)}`);
  }
  return plugin;
}

function available(registry: AnalyzerRegistry, kind: AnalyzerKind): string {
  const names = registry
    .list(kind)
    .map((plugin) => plugin.name)
    .sort();
  return names.length === 0 ? 'none are registered' : `available: ${names.join(', ')}`;
}
