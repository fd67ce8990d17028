import { formatCompositionErrors, formatCompositionHints } from '../composition/format-composition.js';
import { terminalStyle, type TerminalStyle } from '../composition/terminal-style.js';
import type { CheckedChange, SchemaCheckReport } from './report.js';

/** Options for {@link formatTextReport}. */
export interface FormatTextOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Directory composition error paths are relative to (report paths already are). */
  cwd?: string;
}

function compositionSection(report: SchemaCheckReport, s: TerminalStyle, cwd: string): string[] {
  const { composition } = report;
  const lines = [s.bold('Composition')];
  if (!composition.ok) {
    lines.push(`  ${s.fail('✖')} ${composition.subgraphs.join(', ')} do not compose (${composition.errors.length} error(s))`);
    lines.push(...formatCompositionErrors(composition.errors, { cwd, style: s, indent: '    ' }));
    return lines;
  }
  lines.push(`  ${s.ok('✔')} composed ${composition.subgraphs.length} subgraph(s): ${composition.subgraphs.join(', ')}`);
  if (composition.hints.length > 0) {
    lines.push(`  hints (${composition.hints.length}):`);
    lines.push(...formatCompositionHints(composition.hints, { style: s, indent: '    ' }));
  }
  return lines;
}

function supergraphSection(report: SchemaCheckReport, s: TerminalStyle): string[] {
  const { file, status, command } = report.supergraph;
  const line =
    status === 'up-to-date'
      ? `${s.ok('✔')} ${file} is up to date`
      : status === 'missing'
        ? `${s.fail('✖')} ${file} does not exist — generate it with: ${s.bold(command)}`
        : status === 'stale'
          ? `${s.fail('✖')} ${file} is out of date — regenerate it with: ${s.bold(command)}`
          : `${s.dim('-')} skipped (composition failed)`;
  return [s.bold('Supergraph file'), `  ${line}`];
}

function changeLine(change: CheckedChange, s: TerminalStyle): string[] {
  const mark =
    change.verdict === 'blocked' ? s.fail('✖') : change.verdict === 'allowed' ? s.warn('✔') : change.criticality === 'dangerous' ? s.warn('⚠') : s.ok('✔');
  const lines = [`    ${mark} ${s.dim(change.type)} ${change.path ?? ''} — ${change.message}`];
  if (change.explanation) lines.push(`        ${change.explanation}`);
  for (const op of change.usedBy) {
    lines.push(`          ↳ ${op.name} (${op.file}:${op.line}:${op.column})`);
  }
  return lines;
}

function changesSection(report: SchemaCheckReport, s: TerminalStyle): string[] {
  const { base } = report;
  const from = base.kind === 'git' ? `${base.ref}:${base.file}` : `${base.file} on disk`;
  const lines = [s.bold(`Schema changes (base: ${from})`)];
  if (report.supergraph.status === 'skipped') return [...lines, `  ${s.dim('-')} skipped (composition failed)`];
  if (!base.found) return [...lines, `  ${s.dim('-')} no base supergraph; diff skipped`];
  if (base.error) return [...lines, `  ${s.fail('✖')} base is not a valid supergraph: ${base.error}`];
  if (report.changes.length === 0) return [...lines, `  ${s.ok('✔')} no changes to the API schema`];
  const groups: Array<[string, CheckedChange['criticality']]> = [
    ['Breaking', 'breaking'],
    ['Dangerous', 'dangerous'],
    ['Safe', 'safe'],
  ];
  for (const [title, criticality] of groups) {
    const group = report.changes.filter((c) => c.criticality === criticality);
    if (group.length === 0) continue;
    lines.push(`  ${title} (${group.length})`);
    for (const change of group) lines.push(...changeLine(change, s));
  }
  return lines;
}

function operationsSection(report: SchemaCheckReport, s: TerminalStyle): string[] {
  const { operations } = report;
  const lines = [s.bold(`Client operations (${operations.checked} in ${operations.files} file(s) under ${operations.directory})`)];
  if (report.supergraph.status === 'skipped') return [...lines, `  ${s.dim('-')} skipped (composition failed)`];
  if (operations.broken.length === 0) {
    return [...lines, `  ${s.ok('✔')} every operation is valid against the new API schema`];
  }
  for (const broken of operations.broken) {
    const name = broken.operation ?? 'file';
    lines.push(`  ${s.fail('✖')} ${name} (${broken.file}:${broken.line}:${broken.column})`);
    for (const error of broken.errors) {
      lines.push(`      ${s.dim(`${error.file}:${error.line}:${error.column}`)} ${error.message}`);
    }
  }
  return lines;
}

function resultSection(report: SchemaCheckReport, s: TerminalStyle): string[] {
  const lines: string[] = [];
  if (report.warnings.length > 0) {
    lines.push(s.bold('Warnings'));
    for (const warning of report.warnings) lines.push(`  ${s.warn('⚠')} ${warning}`);
    lines.push('');
  }
  lines.push(s.bold('Result'));
  if (report.ok) {
    const { breaking, dangerous, safe } = report.summary;
    lines.push(`  ${s.ok('✔')} schema check passed (${breaking} breaking, ${dangerous} dangerous, ${safe} safe)`);
  } else {
    lines.push(`  ${s.fail('✖')} schema check failed:`);
    for (const failure of report.failures) lines.push(`    - ${failure}`);
  }
  return lines;
}

/** The report as grouped, readable terminal text (✔ / ⚠ / ✖). */
export function formatTextReport(report: SchemaCheckReport, options: FormatTextOptions = {}): string {
  const s = terminalStyle(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const sections = [
    [s.bold(`Schema check (${report.config})`)],
    compositionSection(report, s, cwd),
    supergraphSection(report, s),
    changesSection(report, s),
    operationsSection(report, s),
    resultSection(report, s),
  ];
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}
