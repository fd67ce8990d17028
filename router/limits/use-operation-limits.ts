import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { RouterPlugin } from '../plugins/contract.js';
import { OperationRefused } from '../plugins/router-error.js';
import { DEFAULT_OPERATION_LIMITS, checkOperationLimits, checkOperationText, type OperationLimits } from './operation-limits.js';

/** Operation texts remembered as within the limits (the document cache keeps as many). */
const ACCEPTED_TEXTS = 1_000;

/**
 * Refuses operations over the limits before they are planned: the text's size and tokens before
 * it is parsed, its depth, height, aliases, root fields and directives once it is (HTTP 400).
 * The limits are fixed and the measures depend on the text alone, so an accepted text or document
 * is not measured again; a refused one is, each time (refusals stay cheap: counting stops past the limit).
 */
export function useOperationLimits(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): RouterPlugin {
  const acceptedTexts = new LRUCache<string, true>({ max: ACCEPTED_TEXTS });
  // By document object (the document cache's), then operation name.
  const acceptedDocuments = new WeakMap<DocumentNode, Set<string>>();
  return {
    name: 'operation-limits',
    onParse(event) {
      if (acceptedTexts.has(event.source)) return;
      const errors = checkOperationText(event.source, limits);
      if (errors.length > 0) throw new OperationRefused(errors, 400);
      acceptedTexts.set(event.source, true);
    },
    onOperation(event) {
      const name = event.operation.name ?? '';
      const accepted = acceptedDocuments.get(event.document);
      if (accepted?.has(name)) return;
      const errors = checkOperationLimits(event.document, limits, event.operation.name);
      if (errors.length > 0) throw new OperationRefused(errors, 400);
      if (accepted) accepted.add(name);
      else acceptedDocuments.set(event.document, new Set([name]));
    },
  };
}
