/**
 * Offline supergraph composition: load a rover-format supergraph.yaml, compose its subgraphs,
 * derive the API schema, and format the results for a terminal.
 */
export { apiSchemaOf, apiSchemaSdlOf } from './api-schema.js';
export { ComposeUsageError, COMPOSE_USAGE, parseComposeArgs, type ComposeArgs } from './cli-args.js';
export { composeSubgraphs, type CompositionOutcome } from './compose-subgraphs.js';
export type { CompositionError, CompositionHint, SubgraphLocation } from './composition-diagnostics.js';
export { gatewayLoadProblem } from './gateway-compatibility.js';
export { federationVersionWarning, installedCompositionVersion, parseFederationVersion, type FederationVersion } from './federation-version.js';
export { formatCompositionErrors, formatCompositionHints, type FormatCompositionOptions } from './format-composition.js';
export { loadSupergraphConfig, SupergraphConfigError, type SubgraphConfig, type SupergraphConfig } from './supergraph-config.js';
export { isSupergraphUpToDate, readSupergraphFile, supergraphFileContent, writeSupergraphFile } from './supergraph-file.js';
export { terminalStyle, wantsColor, type TerminalStyle } from './terminal-style.js';
