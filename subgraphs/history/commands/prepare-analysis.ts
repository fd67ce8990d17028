import { measureContents, type ContentMetrics } from '../analyzers/index.js';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { HistoryPlugins } from '../config.js';
import { validateContent, validatePluginName, type ComparedSide } from '../domain/index.js';
import { PreparedAnalysis } from './prepared-analysis.js';

/**
 * What each history command's decider will ask its plugins, computed before the command's
 * transaction. Inputs the decider refuses before analysing anything (invalid content, a deleted
 * or unknown entry, an unknown assessor, a self-comparison) are not prepared: nothing is computed
 * for a command that is going to be refused.
 */

/** Whether `value` passes the decider's content rules (so the decider will analyse it). */
function analyzable(value: string): boolean {
  try {
    validateContent(value);
    return true;
  } catch {
    return false;
  }
}

/** Metrics of new content (createEntry, updateEntry). */
export async function prepareContent(plugins: HistoryPlugins, content: string): Promise<PreparedAnalysis> {
  const prepared = new PreparedAnalysis(plugins.runner);
  if (analyzable(content)) await prepared.analyze(plugins.entry.analyzer, content);
  return prepared;
}

/**
 * The assessment of an entry's current version as the read model holds it (assessQuality). The
 * decider assesses the version in the stream: when that changed in between, the prepared result
 * does not match and the command prepares again (`computeMissing` for its last attempt).
 */
export async function prepareAssessment(
  sql: SqlClient,
  plugins: HistoryPlugins,
  request: { readonly entryId: string; readonly assessor: string | null },
  computeMissing: boolean,
): Promise<PreparedAnalysis> {
  const prepared = new PreparedAnalysis(plugins.runner, computeMissing);
  let name: string | null;
  try {
    name = validatePluginName(request.assessor, 'assessor');
  } catch {
    return prepared;
  }
  const assessor = plugins.entry.assessor(name);
  if (!assessor) return prepared;
  const row = await kyselyOver(sql)
    .selectFrom('historyEntries')
    .select(['content', 'prompt', 'metrics', 'deleted'])
    .where('id', '=', request.entryId)
    .executeTakeFirst();
  if (!row || row.deleted) return prepared;
  await prepared.assess(assessor, { content: row.content, ...(row.prompt !== null ? { prompt: row.prompt } : {}), metrics: row.metrics });
  return prepared;
}

/** Every measure of a comparison and both sides' quality scores (compareEntries). */
export async function prepareComparison(plugins: HistoryPlugins, left: ComparedSide, right: ComparedSide): Promise<PreparedAnalysis> {
  const prepared = new PreparedAnalysis(plugins.runner);
  const self = left.entryId === right.entryId && left.version === right.version;
  if (self || left.deleted || right.deleted || !analyzable(left.content) || !analyzable(right.content)) return prepared;
  const base = plugins.comparison;
  const measures = await measureContents(left.content, right.content, base, prepared);
  const quality = (side: ComparedSide, metrics: ContentMetrics) =>
    prepared.assess(base.assessor, { content: side.content, ...(side.prompt !== null ? { prompt: side.prompt } : {}), metrics });
  await Promise.all([quality(left, measures.leftMetrics), quality(right, measures.rightMetrics)]);
  return prepared;
}
