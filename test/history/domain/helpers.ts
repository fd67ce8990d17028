import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../../subgraphs/shared/errors/codes.js';
import { createHistoryPlugins } from '../../../subgraphs/history/config.js';

/** The built-in plugins, as the subgraph selects them without configuration. */
export const plugins = createHistoryPlugins({ config: {} });

/** Runs `fn`, expecting a DomainError; returns it. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** Expects `fn` to throw a DomainError with `code` and (if given) these extensions. */
export function expectRejection(fn: () => unknown, code: ErrorCode, extensions?: Record<string, unknown>, message?: RegExp): DomainError {
  const error = domainErrorOf(fn);
  expect(error.code).toBe(code);
  if (extensions) expect(error.extensions).toMatchObject(extensions);
  if (message) expect(error.message).toMatch(message);
  return error;
}
