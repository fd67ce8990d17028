import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CostSchema } from './cost-directives.js';
import type { CostedOperation } from './cost-rules.js';
import { estimateCost } from './estimate-cost.js';

/** Estimates kept per operation of a document: one per distinct value of what the estimate read. */
const MAX_ESTIMATES_PER_OPERATION = 256;

interface OperationEstimates {
  /** The variables the estimates depend on (as the latest estimate read them). */
  readonly variables: readonly string[];
  readonly byValues: LRUCache<string, number>;
}

/**
 * Cost estimates remembered per document and operation, keyed by the values of exactly the
 * variables an estimate read (slicing arguments, `@skip`/`@include` conditions, weighted inputs):
 * an estimate is a deterministic function of those, so requests that differ in anything else (an
 * id, a search text) share it. Documents are the document cache's objects, so a WeakMap by
 * document frees the estimates with them. One memo serves one supergraph.
 */
export class EstimateMemo {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, OperationEstimates>>();

  /** The estimated cost of an operation (throws as {@link estimateCost} does; refusals are not kept). */
  estimate(operation: CostedOperation, costSchema: CostSchema): number {
    let byOperation = this.byDocument.get(operation.document);
    const name = operation.operationName ?? '';
    const known = byOperation?.get(name);
    const variables = operation.variables ?? {};
    if (known) {
      const hit = known.byValues.get(valuesKey(known.variables, variables));
      if (hit !== undefined) return hit;
    }
    const estimate = estimateCost(operation, costSchema);
    let entry = known;
    if (!entry || !sameNames(entry.variables, estimate.variablesRead)) {
      entry = { variables: estimate.variablesRead, byValues: new LRUCache({ max: MAX_ESTIMATES_PER_OPERATION }) };
      if (!byOperation) {
        byOperation = new Map();
        this.byDocument.set(operation.document, byOperation);
      }
      byOperation.set(name, entry);
    }
    entry.byValues.set(valuesKey(entry.variables, variables), estimate.cost);
    return estimate.cost;
  }
}

/** The values of some variables as one string; a missing variable differs from one given as null. */
function valuesKey(names: readonly string[], variables: Readonly<Record<string, unknown>>): string {
  if (names.length === 0) return '';
  return JSON.stringify(names.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : 0)));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
