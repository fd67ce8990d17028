/** Errors as the API gave them: each message with its `extensions.code`. */
import { CombinedGraphQLErrors } from '@apollo/client';
import { codeOf } from '../apollo/error-code.js';

export interface ShownError {
  readonly code: string;
  readonly message: string;
}

/** The errors of a failed operation, GraphQL errors with their code, others as NETWORK_ERROR. */
export function errorsOf(error: unknown): ShownError[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((item) => ({ code: codeOf(item.extensions), message: item.message }));
  }
  return [{ code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : typeof error === 'string' ? error : 'the request failed' }];
}

export function ErrorList({ error }: { readonly error: unknown }) {
  const errors = errorsOf(error);
  if (errors.length === 0) return null;
  return (
    <ul className="errors" role="alert">
      {errors.map((item, index) => (
        <li key={index}>
          <code className="error-code">{item.code}</code> {item.message}
        </li>
      ))}
    </ul>
  );
}
