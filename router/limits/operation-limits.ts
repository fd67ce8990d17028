import { Kind, type DocumentNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { countTokens } from './count-tokens.js';
import { LimitCode, limitExceeded } from './limit-codes.js';
import { measureOperation } from './measure-operation.js';

/** Bounds on the shape of an operation, checked before it is planned. `Infinity` turns one off. */
export interface OperationLimits {
  /** UTF-8 bytes of the operation text. */
  readonly maxOperationBytes: number;
  /** Lexical tokens of the operation text (comments excluded). */
  readonly maxTokens: number;
  /** Fields on the longest path from a root field to a leaf. */
  readonly maxDepth: number;
  /** Distinct fields (selections of one field name under one parent merged). */
  readonly maxHeight: number;
  /** Aliased fields, fragments expanded. */
  readonly maxAliases: number;
  /** Fields selected on the root type. */
  readonly maxRootFields: number;
  /** Directives on any one field, fragment spread or inline fragment. */
  readonly maxDirectives: number;
}

/**
 * Limits that every operation the product ships passes: the client operations under
 * `schema/operations/` (depth 5 at most) and the introspection query GraphiQL sends, the deepest
 * and widest of them (depth 15, 230 distinct fields, 184 tokens with every option). They refuse
 * deep entity cycles, alias floods and oversized texts before any planning.
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = Object.freeze({
  maxOperationBytes: 64 * 1024,
  maxTokens: 5_000,
  maxDepth: 16,
  maxHeight: 300,
  maxAliases: 30,
  maxRootFields: 20,
  maxDirectives: 5,
});

/** The defaults with some limits replaced. */
export function operationLimits(overrides: Partial<OperationLimits> = {}): OperationLimits {
  return Object.freeze({ ...DEFAULT_OPERATION_LIMITS, ...overrides });
}

/** The UTF-8 size of `text` when it is over `max` (a lower bound when its length alone decides), else undefined. */
function sizeOver(text: string, max: number): { bytes: number; atLeast: boolean } | undefined {
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes.
  if (text.length > max) return { bytes: text.length, atLeast: true };
  if (text.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > max ? { bytes, atLeast: false } : undefined;
}

/**
 * Checks the raw operation text before anything parses it: its size, then its token count (which
 * stops lexing once past the limit). Returns the refusal, or an empty array.
 */
export function checkOperationText(text: string, limits: OperationLimits = DEFAULT_OPERATION_LIMITS): GraphQLError[] {
  const size = sizeOver(text, limits.maxOperationBytes);
  if (size) return [limitExceeded(LimitCode.MAX_OPERATION_SIZE_EXCEEDED, 'bytes', limits.maxOperationBytes, size.bytes, size.atLeast)];
  const tokens = countTokens(text, limits.maxTokens);
  if (tokens > limits.maxTokens) return [limitExceeded(LimitCode.MAX_TOKENS_EXCEEDED, 'tokens', limits.maxTokens, tokens, true)];
  return [];
}

/** The operations that will run: the named one, the only one, or all when the choice is ambiguous. */
function operationsToCheck(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode[] {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operationName == null) return operations;
  return operations.filter((operation) => operation.name?.value === operationName);
}

/**
 * Checks a parsed document's operation against the limits, fragments followed, before it is
 * validated or planned. Returns one error per limit exceeded (empty when the operation passes).
 */
export function checkOperationLimits(
  document: DocumentNode,
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
  operationName?: string | null,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const operation of operationsToCheck(document, operationName)) {
    const found = measureOperation(document, operation, { heightLimit: limits.maxHeight });
    if (found.depth > limits.maxDepth) errors.push(limitExceeded(LimitCode.MAX_DEPTH_EXCEEDED, 'levels of fields', limits.maxDepth, found.depth));
    if (found.height > limits.maxHeight) {
      errors.push(limitExceeded(LimitCode.MAX_HEIGHT_EXCEEDED, 'distinct fields', limits.maxHeight, found.height, true));
    }
    if (found.aliases > limits.maxAliases) errors.push(limitExceeded(LimitCode.MAX_ALIASES_EXCEEDED, 'aliases', limits.maxAliases, found.aliases));
    if (found.rootFields > limits.maxRootFields) {
      errors.push(limitExceeded(LimitCode.MAX_ROOT_FIELDS_EXCEEDED, 'root fields', limits.maxRootFields, found.rootFields));
    }
    if (found.directives > limits.maxDirectives) {
      errors.push(limitExceeded(LimitCode.MAX_DIRECTIVES_EXCEEDED, 'directives on one selection', limits.maxDirectives, found.directives));
    }
  }
  return errors;
}
