import type { ContentAnalyzer, ContentMetrics, QualityAssessor, QualityInput, QualityResult, SimilarityCalculator } from '../contract.js';
import { AnalysisPool, type AnalysisPoolOptions } from './analysis-pool.js';
import { isBuiltIn } from './tasks.js';

/**
 * Runs analyzer plugins off the event loop where it can: the built-in plugins on the analysis
 * threads, any other plugin (registered at run time, so not available to the threads) on the
 * calling thread. Results are the plugins' own, computed by the same code.
 */
export interface PluginRunner {
  /** `analyzer.analyze(text)`. */
  analyze(analyzer: ContentAnalyzer, text: string): Promise<ContentMetrics>;
  /** `assessor.assess(input)`. */
  assess(assessor: QualityAssessor, input: QualityInput): Promise<QualityResult>;
  /** `calculator.compare(left, right)`. */
  compare(calculator: SimilarityCalculator, left: string, right: string): Promise<number>;
  /** Ends the analysis threads (after the tasks under way). */
  close(): Promise<void>;
}

/** A runner over a fresh {@link AnalysisPool}, or on the calling thread with `threads: 0`. */
export function createPluginRunner(options: AnalysisPoolOptions = {}): PluginRunner {
  const pool = options.threads === 0 ? undefined : new AnalysisPool(options);
  // An async function, so that a plugin that throws rejects like a thread's task does.
  const offload = async <T>(builtIn: boolean, onThread: (pool: AnalysisPool) => Promise<T>, inline: () => T): Promise<T> =>
    pool && builtIn ? onThread(pool) : inline();
  return {
    analyze: (analyzer, text) =>
      offload(
        isBuiltIn('analyzer', analyzer),
        (threads) => threads.run({ kind: 'analyzer', plugin: analyzer.name, text }),
        () => analyzer.analyze(text),
      ),
    assess: (assessor, input) =>
      offload(
        isBuiltIn('assessor', assessor),
        (threads) => threads.run({ kind: 'assessor', plugin: assessor.name, input }),
        () => assessor.assess(input),
      ),
    compare: (calculator, left, right) =>
      offload(
        isBuiltIn('similarity', calculator),
        (threads) => threads.run({ kind: 'similarity', plugin: calculator.name, left, right }),
        () => calculator.compare(left, right),
      ),
    close: async () => {
      await pool?.close();
    },
  };
}
