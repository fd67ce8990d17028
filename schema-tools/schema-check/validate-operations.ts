import { validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { ClientOperation, FilePosition, OperationFileProblem } from './operations.js';

/** One validation error of an operation, at the position it points at. */
export interface OperationError extends FilePosition {
  message: string;
}

/** An operation that does not validate against the new API schema (or a file that cannot parse). */
export interface BrokenOperation extends FilePosition {
  /** The operation name; undefined for file-level problems (syntax errors, duplicate fragments). */
  operation?: string;
  errors: OperationError[];
}

function errorPosition(error: GraphQLError, operation: ClientOperation): FilePosition {
  const node = error.nodes?.[0];
  const location = error.locations?.[0];
  const file = node?.loc?.source.name ?? operation.file;
  return location ? { file, line: location.line, column: location.column } : operation;
}

/** Validates every operation against `schema` with graphql's `validate`; lists the broken ones. */
export function validateOperations(schema: GraphQLSchema, operations: readonly ClientOperation[]): BrokenOperation[] {
  const broken: BrokenOperation[] = [];
  for (const operation of operations) {
    const errors = validate(schema, operation.document);
    if (errors.length === 0) continue;
    broken.push({
      operation: operation.name,
      file: operation.file,
      line: operation.line,
      column: operation.column,
      errors: errors.map((error) => ({ ...errorPosition(error, operation), message: error.message })),
    });
  }
  return broken;
}

/** File-level problems (syntax errors, duplicate fragments) as broken entries. */
export function problemsAsBrokenOperations(problems: readonly OperationFileProblem[]): BrokenOperation[] {
  return problems.map((problem) => ({
    file: problem.file,
    line: problem.line,
    column: problem.column,
    errors: [{ ...problem }],
  }));
}
