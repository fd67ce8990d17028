/**
 * `npm run schema:check`: composition, supergraph freshness, API schema diff against a base,
 * client operation validation and the breaking-change policy. {@link runSchemaCheck} is the core.
 */
export { findAllowListEntry, loadAllowList, parseAllowList, type AllowList, type AllowListEntry } from './allow-list.js';
export { loadBaseSupergraph, readSupergraphAtRef, type BaseSupergraph } from './base-supergraph.js';
export { decideChange, type Acknowledgement, type ChangeDecision, type ChangeVerdict } from './breaking-policy.js';
export { operationsAffectedBy, usageCoordinatesOf, type OperationUsage } from './change-usage.js';
export { parseSchemaCheckArgs, SCHEMA_CHECK_USAGE, type ReportFormat, type SchemaCheckArgs } from './cli-args.js';
export { collectSchemaCoordinates } from './coordinates.js';
export { formatJsonReport } from './format-json.js';
export { formatTextReport, type FormatTextOptions } from './format-text.js';
export { findGraphqlFiles, loadOperations, type ClientOperation, type FilePosition, type LoadedOperations, type OperationFileProblem } from './operations.js';
export { resolveSchemaCheckOptions, SCHEMA_CHECK_DEFAULTS, type ResolvedSchemaCheckOptions, type SchemaCheckOptions } from './options.js';
export { REGENERATE_COMMAND, type CheckedChange, type OperationRef, type SchemaCheckReport, type SupergraphFileStatus } from './report.js';
export { runSchemaCheck } from './run-schema-check.js';
export { criticalityOf, diffApiSchemas, type ChangeCriticality, type SchemaChange } from './schema-diff.js';
export { SchemaCheckUsageError } from './usage-error.js';
export { problemsAsBrokenOperations, validateOperations, type BrokenOperation, type OperationError } from './validate-operations.js';
