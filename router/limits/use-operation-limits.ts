import type { RouterPlugin } from '../plugins/contract.js';
import { OperationRefused } from '../plugins/router-error.js';
import { DEFAULT_OPERATION_LIMITS, checkOperationLimits, checkOperationText, type OperationLimits } from './operation-limits.js';

/**
 * Refuses operations over the limits before they are planned: the text's size and tokens before
 * it is parsed, its depth, height, aliases, root fields and directives once it is (HTTP 400).
 */
export function useOperationLimits(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): RouterPlugin {
  return {
    name: 'operation-limits',
    onParse(event) {
      const errors = checkOperationText(event.source, limits);
      if (errors.length > 0) throw new OperationRefused(errors, 400);
    },
    onOperation(event) {
      const errors = checkOperationLimits(event.document, limits, event.operation.name);
      if (errors.length > 0) throw new OperationRefused(errors, 400);
    },
  };
}
