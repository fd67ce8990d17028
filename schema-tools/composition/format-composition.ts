import { isAbsolute, relative } from 'node:path';
import type { CompositionError, CompositionHint, SubgraphLocation } from './composition-diagnostics.js';
import { terminalStyle, type TerminalStyle } from './terminal-style.js';

/** Options for formatting composition output. */
export interface FormatCompositionOptions {
  /** File paths are printed relative to this directory. */
  cwd?: string;
  style?: TerminalStyle;
  /** Prefix of every line (for nesting under a section). */
  indent?: string;
}

function withoutSubgraphPrefix(message: string, subgraph: string | undefined): string {
  return subgraph && message.startsWith(`[${subgraph}] `) ? message.slice(subgraph.length + 3) : message;
}

function formatLocation(location: SubgraphLocation, cwd: string): string {
  const file = location.file && isAbsolute(location.file) ? relative(cwd, location.file) : location.file;
  const where = file || location.subgraph;
  return `${where ?? '?'}:${location.line}:${location.column}`;
}

function groupKey(error: CompositionError): string {
  if (error.subgraph) return `subgraph ${error.subgraph}`;
  if (error.subgraphs.length > 1) return `across subgraphs ${error.subgraphs.join(', ')}`;
  return 'supergraph';
}

/**
 * Composition errors as readable lines, grouped by the subgraph they name, each with the
 * schema-file positions it points at.
 */
export function formatCompositionErrors(errors: readonly CompositionError[], options: FormatCompositionOptions = {}): string[] {
  const cwd = options.cwd ?? process.cwd();
  const style = options.style ?? terminalStyle(false);
  const indent = options.indent ?? '';
  const groups = new Map<string, CompositionError[]>();
  for (const error of errors) {
    const key = groupKey(error);
    groups.set(key, [...(groups.get(key) ?? []), error]);
  }
  const lines: string[] = [];
  for (const [key, group] of groups) {
    lines.push(`${indent}${style.bold(key)}`);
    for (const error of group) {
      const message = withoutSubgraphPrefix(error.message, error.subgraph);
      lines.push(`${indent}  ${style.fail('✖')} ${style.dim(`[${error.code}]`)} ${message}`);
      for (const location of error.locations) {
        lines.push(`${indent}      ${style.dim(`at ${formatLocation(location, cwd)}`)}`);
      }
    }
  }
  return lines;
}

/** Composition hints as readable lines (`⚠ [CODE] message`). */
export function formatCompositionHints(hints: readonly CompositionHint[], options: FormatCompositionOptions = {}): string[] {
  const style = options.style ?? terminalStyle(false);
  const indent = options.indent ?? '';
  return hints.map((hint) => `${indent}${style.warn('⚠')} ${style.dim(`[${hint.code}]`)} ${hint.message}`);
}
