import type { CompositionError, CompositionHint } from '../composition/composition-diagnostics.js';
import type { AllowListEntry } from './allow-list.js';
import type { Acknowledgement, ChangeVerdict } from './breaking-policy.js';
import type { SchemaChange } from './schema-diff.js';
import type { BrokenOperation } from './validate-operations.js';

/** A client operation, by name and position (file relative to the check's cwd). */
export interface OperationRef {
  name: string;
  file: string;
  line: number;
  column: number;
}

/** A schema change with the check's decision about it. */
export interface CheckedChange extends SchemaChange {
  /** Known operations that use what the change removes or changes (resolved on the base schema). */
  usedBy: OperationRef[];
  verdict: ChangeVerdict;
  acknowledgement?: Acknowledgement;
  /** Why a breaking change is blocked or allowed. */
  explanation?: string;
}

/** State of the committed supergraph file compared with a fresh composition. */
export type SupergraphFileStatus = 'up-to-date' | 'stale' | 'missing' | 'skipped';

/** Everything `npm run schema:check` found; serialisable as JSON. Paths are relative to cwd. */
export interface SchemaCheckReport {
  /** True when nothing fails the check. */
  ok: boolean;
  /** One line per reason the check failed. */
  failures: string[];
  /** Things worth knowing that do not fail the check. */
  warnings: string[];
  /** The supergraph.yaml read. */
  config: string;
  composition: {
    ok: boolean;
    subgraphs: string[];
    errors: CompositionError[];
    hints: CompositionHint[];
  };
  supergraph: {
    file: string;
    status: SupergraphFileStatus;
    /** The command that regenerates the file. */
    command: string;
  };
  base: {
    kind: 'file' | 'git';
    ref?: string;
    file: string;
    /** False when there is no base supergraph (the diff is skipped). */
    found: boolean;
    /** Why the base could not be used, when it is not a valid supergraph. */
    error?: string;
  };
  changes: CheckedChange[];
  summary: {
    breaking: number;
    dangerous: number;
    safe: number;
    /** Breaking changes that fail the check. */
    blocked: number;
    /** Breaking changes acknowledged and unused. */
    allowed: number;
  };
  operations: {
    directory: string;
    found: boolean;
    files: number;
    /** Operations validated (0 when composition failed). */
    checked: number;
    broken: BrokenOperation[];
  };
  allowList: {
    file?: string;
    entries: number;
    /** Entries that matched no change of this diff (candidates for removal). */
    unmatched: AllowListEntry[];
  };
}

/** The command that regenerates the committed supergraph file. */
export const REGENERATE_COMMAND = 'npm run compose';
