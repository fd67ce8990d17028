import { BREAK, visit } from 'graphql';
import type { RouterPlugin } from '../plugins/contract.js';
import { RouterError } from '../plugins/router-error.js';

/**
 * Refuses introspection (`__schema`, `__type`) when it is turned off, as a production deployment
 * usually wants: the schema is then known to those who hold it, not to every caller.
 */
export function useIntrospection(options: { readonly enabled: boolean }): RouterPlugin {
  return {
    name: 'introspection',
    onOperation(event) {
      if (options.enabled) return;
      let introspects = false;
      visit(event.document, {
        Field(node) {
          if (node.name.value === '__schema' || node.name.value === '__type') {
            introspects = true;
            return BREAK;
          }
          return undefined;
        },
      });
      if (introspects) throw new RouterError('INTROSPECTION_DISABLED', 'introspection is turned off on this router');
    },
  };
}
