import {
  editDistanceSimilarity,
  jaccardSimilarity,
  type ComparisonPlugins,
  type ContentAnalyzer,
  type ContentMetrics,
  type PluginRunner,
  type QualityAssessor,
  type QualityInput,
  type QualityResult,
  type SimilarityCalculator,
} from '../analyzers/index.js';
import type { ComparisonPluginSet, EntryPlugins } from '../domain/index.js';

/**
 * Thrown by a prepared plugin asked about an input nobody prepared (the entry changed between
 * the preparation and the transaction): the command prepares again from what is there now.
 */
export class AnalysisNotPrepared extends Error {
  override readonly name = 'AnalysisNotPrepared';
}

interface Computed<Plugin, Input, Value> {
  readonly plugin: Plugin;
  readonly input: Input;
  readonly value: Value;
}

const sameMetrics = (a: ContentMetrics, b: ContentMetrics): boolean =>
  Object.keys(a).length === Object.keys(b).length && (Object.keys(a) as Array<keyof ContentMetrics>).every((key) => a[key] === b[key]);

const sameQualityInput = (a: QualityInput, b: QualityInput): boolean => a.content === b.content && a.prompt === b.prompt && sameMetrics(a.metrics, b.metrics);

/**
 * Analyzer results computed before a command's transaction, off the event loop (through a
 * {@link PluginRunner}), then handed to the command's decider as plugins of the same names and
 * versions that answer from them. The decider stays what it is, pure and synchronous, and runs
 * again on every retry of its transaction without computing anything again: it only records the
 * results. It is meant for one command: create one per command run.
 */
export class PreparedAnalysis {
  private readonly metrics: Array<Computed<ContentAnalyzer, string, ContentMetrics>> = [];
  private readonly assessments: Array<Computed<QualityAssessor, QualityInput, QualityResult>> = [];
  private readonly scores: Array<Computed<SimilarityCalculator, readonly [string, string], number>> = [];
  private readonly answering = new Map<object, object>();

  /**
   * @param computeMissing Compute an input nobody prepared with the plugin itself, on the calling
   *   thread, instead of throwing {@link AnalysisNotPrepared} (the last resort of a command whose
   *   entry keeps changing under it).
   */
  constructor(
    private readonly runner: PluginRunner,
    private readonly computeMissing = false,
  ) {}

  /** Computes and keeps `analyzer.analyze(text)`. */
  async analyze(analyzer: ContentAnalyzer, text: string): Promise<ContentMetrics> {
    const value = await this.runner.analyze(analyzer, text);
    this.metrics.push({ plugin: analyzer, input: text, value });
    return value;
  }

  /** Computes and keeps `assessor.assess(input)`. */
  async assess(assessor: QualityAssessor, input: QualityInput): Promise<QualityResult> {
    const value = await this.runner.assess(assessor, input);
    this.assessments.push({ plugin: assessor, input, value });
    return value;
  }

  /** Computes and keeps `calculator.compare(left, right)`. */
  async compare(calculator: SimilarityCalculator, left: string, right: string): Promise<number> {
    const value = await this.runner.compare(calculator, left, right);
    this.scores.push({ plugin: calculator, input: [left, right], value });
    return value;
  }

  /** The entry decider's plugins, answering from the prepared results. */
  entryPlugins(base: EntryPlugins): EntryPlugins {
    return {
      analyzer: this.analyzer(base.analyzer),
      assessor: (name) => {
        const assessor = base.assessor(name);
        return assessor && this.assessor(assessor);
      },
    };
  }

  /**
   * The comparison decider's plugins, answering from the prepared results, including the fixed
   * Jaccard and edit-distance calculators of `compareContents`.
   */
  comparisonPlugins(base: ComparisonPluginSet): ComparisonPluginSet & ComparisonPlugins {
    return {
      analyzer: this.analyzer(base.analyzer),
      similarity: base.similarity.map((calculator) => this.calculator(calculator)),
      assessor: this.assessor(base.assessor),
      jaccard: this.calculator(jaccardSimilarity),
      editDistance: this.calculator(editDistanceSimilarity),
    };
  }

  private analyzer(plugin: ContentAnalyzer): ContentAnalyzer {
    return this.answerAs(plugin, () => ({
      name: plugin.name,
      version: plugin.version,
      analyze: (text: string) => this.lookup(this.metrics, plugin, (input) => input === text) ?? this.missing(plugin, () => plugin.analyze(text)),
    }));
  }

  private assessor(plugin: QualityAssessor): QualityAssessor {
    return this.answerAs(plugin, () => ({
      name: plugin.name,
      version: plugin.version,
      assess: (input: QualityInput) =>
        this.lookup(this.assessments, plugin, (prepared) => sameQualityInput(prepared, input)) ?? this.missing(plugin, () => plugin.assess(input)),
    }));
  }

  private calculator(plugin: SimilarityCalculator): SimilarityCalculator {
    return this.answerAs(plugin, () => ({
      name: plugin.name,
      version: plugin.version,
      compare: (left: string, right: string) =>
        this.lookup(this.scores, plugin, ([l, r]) => l === left && r === right) ?? this.missing(plugin, () => plugin.compare(left, right)),
    }));
  }

  /** One answering plugin per real one, so a calculator selected twice over stays one object. */
  private answerAs<Plugin extends object>(plugin: Plugin, create: () => Plugin): Plugin {
    let answering = this.answering.get(plugin) as Plugin | undefined;
    if (answering === undefined) {
      answering = Object.freeze(create());
      this.answering.set(plugin, answering);
    }
    return answering;
  }

  private lookup<Plugin, Input, Value>(
    computed: ReadonlyArray<Computed<Plugin, Input, Value>>,
    plugin: Plugin,
    matches: (input: Input) => boolean,
  ): Value | undefined {
    return computed.find((entry) => entry.plugin === plugin && matches(entry.input))?.value;
  }

  private missing<Value>(plugin: { readonly name: string }, compute: () => Value): Value {
    if (this.computeMissing) return compute();
    throw new AnalysisNotPrepared(`no result of ${plugin.name} was prepared for this input`);
  }
}
