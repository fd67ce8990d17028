import type { AnalyzerKind, AnalyzerKinds, ContentMetrics, QualityInput, QualityResult } from '../contract.js';
import { defaultRegistry } from '../registry.js';

/**
 * The messages an analysis thread understands. A task names a built-in plugin (the threads have
 * the built-in registry only: plugins registered at run time are functions and cannot be sent)
 * and carries the plugin's input; the answer is the plugin's result.
 */
export type AnalysisTask =
  | { readonly kind: 'analyzer'; readonly plugin: string; readonly text: string }
  | { readonly kind: 'assessor'; readonly plugin: string; readonly input: QualityInput }
  | { readonly kind: 'similarity'; readonly plugin: string; readonly left: string; readonly right: string };

/** What each kind of task answers. */
export interface AnalysisTaskResults {
  analyzer: ContentMetrics;
  assessor: QualityResult;
  similarity: number;
}

const builtIns = defaultRegistry();

/**
 * True when `plugin` is the built-in plugin of its kind and name (the very object, not one that
 * took its name), so a thread computes exactly what the plugin would.
 */
export function isBuiltIn<K extends AnalyzerKind>(kind: K, plugin: AnalyzerKinds[K]): boolean {
  return builtIns.get(kind, plugin.name) === plugin;
}

function builtIn<K extends AnalyzerKind>(kind: K, name: string): AnalyzerKinds[K] {
  const plugin = builtIns.get(kind, name);
  if (plugin === undefined) throw new Error(`no built-in ${kind} plugin is named "${name}"`);
  return plugin;
}

/** Runs one task with the built-in plugin it names (on an analysis thread). */
export function runAnalysisTask(task: AnalysisTask): AnalysisTaskResults[AnalysisTask['kind']] {
  switch (task.kind) {
    case 'analyzer':
      return builtIn('analyzer', task.plugin).analyze(task.text);
    case 'assessor':
      return builtIn('assessor', task.plugin).assess(task.input);
    case 'similarity':
      return builtIn('similarity', task.plugin).compare(task.left, task.right);
  }
}
