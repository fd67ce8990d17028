import { findAllowListEntry, type AllowList } from './allow-list.js';
import type { SchemaChange } from './schema-diff.js';

/** What the check decided about one change. */
export type ChangeVerdict =
  /** Not breaking (dangerous or safe). */
  | 'ok'
  /** Breaking, unused by known operations, and acknowledged. */
  | 'allowed'
  /** Breaking and used by an operation, or not acknowledged: fails the check. */
  | 'blocked';

/** Who acknowledged a breaking change. */
export interface Acknowledgement {
  by: 'allow-list' | 'flag';
  /** The allow-list entry's reason. */
  reason?: string;
}

/** The decision for one change. */
export interface ChangeDecision {
  verdict: ChangeVerdict;
  acknowledgement?: Acknowledgement;
  /** Why a breaking change is blocked or allowed, in words. */
  explanation?: string;
}

/**
 * Decides a change: a breaking change fails unless no known operation uses it AND it is
 * acknowledged by the allow-list (matching type and path) or by `--allow-breaking`. A breaking
 * change that an operation uses always fails.
 */
export function decideChange(change: SchemaChange, usedByOperations: number, allowList: AllowList, allowBreaking: boolean): ChangeDecision {
  if (change.criticality !== 'breaking') return { verdict: 'ok' };
  const entry = findAllowListEntry(allowList, change);
  const acknowledgement: Acknowledgement | undefined = entry ? { by: 'allow-list', reason: entry.reason } : allowBreaking ? { by: 'flag' } : undefined;
  if (usedByOperations > 0) {
    const decision: ChangeDecision = {
      verdict: 'blocked',
      explanation: acknowledgement
        ? `used by ${usedByOperations} known operation(s); acknowledged, but a used change always fails`
        : `used by ${usedByOperations} known operation(s)`,
    };
    if (acknowledgement) decision.acknowledgement = acknowledgement;
    return decision;
  }
  if (!acknowledgement) {
    return {
      verdict: 'blocked',
      explanation: 'not acknowledged (add it to the allow-list or pass --allow-breaking)',
    };
  }
  return {
    verdict: 'allowed',
    acknowledgement,
    explanation:
      acknowledgement.by === 'allow-list'
        ? `allowed by the allow-list: ${acknowledgement.reason ?? ''}`
        : 'allowed by --allow-breaking (no known operation uses it)',
  };
}
