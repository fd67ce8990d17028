import { relative, sep } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { apiSchemaSdlOf } from '../composition/api-schema.js';
import { composeSubgraphs } from '../composition/compose-subgraphs.js';
import type { CompositionError } from '../composition/composition-diagnostics.js';
import { federationVersionWarning } from '../composition/federation-version.js';
import { gatewayLoadProblem } from '../composition/gateway-compatibility.js';
import { loadSupergraphConfig, SupergraphConfigError, type SupergraphConfig } from '../composition/supergraph-config.js';
import { isSupergraphUpToDate, readSupergraphFile } from '../composition/supergraph-file.js';
import { findAllowListEntry, loadAllowList } from './allow-list.js';
import { loadBaseSupergraph } from './base-supergraph.js';
import { decideChange } from './breaking-policy.js';
import { operationsAffectedBy, type OperationUsage } from './change-usage.js';
import { collectSchemaCoordinates } from './coordinates.js';
import { loadOperations } from './operations.js';
import { resolveSchemaCheckOptions, type SchemaCheckOptions } from './options.js';
import { REGENERATE_COMMAND, type CheckedChange, type OperationRef, type SchemaCheckReport, type SupergraphFileStatus } from './report.js';
import { diffApiSchemas } from './schema-diff.js';
import { diffAuthorization } from './authorization-diff.js';
import { SchemaCheckUsageError } from './usage-error.js';
import { problemsAsBrokenOperations, validateOperations } from './validate-operations.js';

async function loadConfig(path: string): Promise<SupergraphConfig> {
  try {
    return await loadSupergraphConfig(path);
  } catch (error) {
    if (error instanceof SupergraphConfigError) throw new SchemaCheckUsageError(error.message);
    throw error;
  }
}

function relativeTo(cwd: string) {
  return (path: string) => (relative(cwd, path) || '.').split(sep).join('/');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the schema check:
 * 1. composes the subgraphs of supergraph.yaml (errors per subgraph, hints),
 * 2. checks the committed supergraph file is up to date with that composition,
 * 3. diffs the new API schema against the base (a git ref's supergraph, or the file on disk), and
 *    the authorization directives field by field, and classifies each change breaking /
 *    dangerous / safe,
 * 4. validates every client operation under the operations directory against the new API schema,
 * 5. fails on breaking changes unless unused by every operation AND acknowledged
 *    (`allowBreaking` or the allow-list).
 *
 * Pure of process exit and console output: the caller prints the report.
 *
 * @throws SchemaCheckUsageError for usage problems (missing or invalid config, missing explicit
 *   operations directory or allow-list, unknown git ref).
 */
export async function runSchemaCheck(options: SchemaCheckOptions = {}): Promise<SchemaCheckReport> {
  const resolved = resolveSchemaCheckOptions(options);
  const rel = relativeTo(resolved.cwd);

  const config = await loadConfig(resolved.config);
  const allowList = await loadAllowList(resolved.allowList, resolved.allowListRequired);
  const operations = await loadOperations(resolved.operations);
  if (!operations.found && resolved.operationsRequired) {
    throw new SchemaCheckUsageError(`--operations: ${resolved.operations} is not a directory`);
  }
  const base = await loadBaseSupergraph(resolved.base, resolved.supergraph, resolved.cwd);

  const report: SchemaCheckReport = {
    ok: false,
    failures: [],
    warnings: [],
    config: rel(config.path),
    composition: { ok: false, subgraphs: config.subgraphs.map((s) => s.name), errors: [], hints: [] },
    supergraph: { file: rel(resolved.supergraph), status: 'skipped', command: REGENERATE_COMMAND },
    base: { kind: base.kind, file: rel(resolved.supergraph), found: base.sdl !== undefined },
    changes: [],
    summary: { breaking: 0, dangerous: 0, safe: 0, blocked: 0, allowed: 0 },
    operations: {
      directory: rel(operations.directory),
      found: operations.found,
      files: operations.files.length,
      checked: 0,
      broken: [],
    },
    allowList: { entries: allowList.entries.length, unmatched: [] },
  };
  if (base.ref !== undefined) report.base.ref = base.ref;
  if (allowList.file !== undefined) report.allowList.file = rel(allowList.file);

  const versionWarning = federationVersionWarning(config.federationVersion);
  if (versionWarning) report.warnings.push(versionWarning);
  if (!operations.found) {
    report.warnings.push(`no operations directory at ${report.operations.directory}; no client operations checked`);
  }

  // 1. Composition.
  const composition = composeSubgraphs(config);
  if (!composition.ok) {
    report.composition.errors = composition.errors.map((error): CompositionError => ({
      ...error,
      locations: error.locations.map((l) => (l.file ? { ...l, file: rel(l.file) } : l)),
    }));
    report.failures.push(`composition failed with ${composition.errors.length} error(s)`);
    return report;
  }
  report.composition.ok = true;
  report.composition.hints = composition.hints;
  const gatewayProblem = gatewayLoadProblem(composition.supergraphSdl);
  if (gatewayProblem) report.failures.push(`the router cannot load the composed supergraph: ${gatewayProblem}`);

  // 2. Committed supergraph file.
  const committed = await readSupergraphFile(resolved.supergraph);
  const status: SupergraphFileStatus =
    committed === undefined ? 'missing' : isSupergraphUpToDate(committed, composition.supergraphSdl) ? 'up-to-date' : 'stale';
  report.supergraph.status = status;
  if (status !== 'up-to-date') {
    const problem = status === 'missing' ? 'does not exist' : 'is out of date with the subgraph schemas';
    report.failures.push(`${report.supergraph.file} ${problem}; regenerate it with \`${REGENERATE_COMMAND}\``);
  }

  // 3. Diff against the base.
  const newApiSdl = apiSchemaSdlOf(composition.supergraphSdl);
  const newApi = buildSchema(newApiSdl);
  let baseApiSdl: string | undefined;
  let baseApi: GraphQLSchema | undefined;
  if (base.sdl === undefined) {
    const where = base.ref === undefined ? 'on disk' : `at ${base.ref}`;
    report.warnings.push(`no base supergraph (${report.base.file} ${where}); schema diff skipped`);
  } else {
    try {
      baseApiSdl = apiSchemaSdlOf(base.sdl);
      baseApi = buildSchema(baseApiSdl);
    } catch (error) {
      report.base.error = errorMessage(error);
      report.failures.push(`the base supergraph is not a valid supergraph: ${report.base.error}`);
    }
  }
  const changes = baseApiSdl && base.sdl ? [...(await diffApiSchemas(baseApiSdl, newApiSdl)), ...diffAuthorization(base.sdl, composition.supergraphSdl)] : [];

  // 4. Client operations against the new API schema.
  report.operations.checked = operations.operations.length;
  report.operations.broken = [...problemsAsBrokenOperations(operations.problems), ...validateOperations(newApi, operations.operations)].map((broken) => ({
    ...broken,
    file: rel(broken.file),
    errors: broken.errors.map((error) => ({ ...error, file: rel(error.file) })),
  }));
  if (report.operations.broken.length > 0) {
    report.failures.push(`${report.operations.broken.length} client operation(s) do not validate against the new API schema`);
  }

  // 5. Breaking-change policy, with usage resolved on the base schema.
  const usages: OperationUsage[] = baseApi
    ? operations.operations.map((operation) => ({
        operation,
        coordinates: collectSchemaCoordinates(baseApi, operation.document),
      }))
    : [];
  report.changes = changes.map((change): CheckedChange => {
    const usedBy = operationsAffectedBy(change, usages).map((op): OperationRef => ({ name: op.name, file: rel(op.file), line: op.line, column: op.column }));
    const decision = decideChange(change, usedBy.length, allowList, resolved.allowBreaking);
    report.summary[change.criticality] += 1;
    if (decision.verdict === 'blocked') report.summary.blocked += 1;
    if (decision.verdict === 'allowed') report.summary.allowed += 1;
    return { ...change, usedBy, ...decision };
  });
  if (report.summary.blocked > 0) {
    report.failures.push(`${report.summary.blocked} breaking change(s) not allowed`);
  }
  report.allowList.unmatched = allowList.entries.filter((entry) => !changes.some((change) => findAllowListEntry({ entries: [entry] }, change)));
  if (base.kind === 'git') {
    for (const entry of report.allowList.unmatched) {
      report.warnings.push(`allow-list entry ${entry.type} ${entry.path} matches no change since ${base.ref}; it can be removed`);
    }
  }

  report.ok = report.failures.length === 0;
  return report;
}
