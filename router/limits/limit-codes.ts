import { GraphQLError } from 'graphql';

/** The `extensions.code` of each operation limit, one per limit. */
export const LimitCode = {
  MAX_OPERATION_SIZE_EXCEEDED: 'MAX_OPERATION_SIZE_EXCEEDED',
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_HEIGHT_EXCEEDED: 'MAX_HEIGHT_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
} as const;

export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

/** Every limit code: clients may see these errors with their messages (they say what to change). */
export const LIMIT_ERROR_CODES: readonly LimitCode[] = Object.values(LimitCode);

/**
 * A refusal naming the limit and the value found. `found` is a lower bound when the measure
 * stopped counting once past the limit (`atLeast: true`), which keeps refusing a huge operation cheap.
 */
export function limitExceeded(code: LimitCode, what: string, limit: number, found: number, atLeast = false): GraphQLError {
  const value = atLeast ? `at least ${found}` : String(found);
  return new GraphQLError(`The operation has ${value} ${what}, more than the limit of ${limit}.`, {
    extensions: { code, limit, found },
  });
}
