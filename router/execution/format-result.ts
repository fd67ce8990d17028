import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { formatError, isUnexpected } from '../../common/errors/format-error.js';
import { RouterError } from '../plugins/router-error.js';

/**
 * One error as clients see it: refusals of the router and its plugins and public codes keep their
 * message, anything else is masked (and logged).
 */
export function formatRouterError(error: GraphQLError | GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  if (error instanceof RouterError) return error.toJSON();
  if (isUnexpected(error)) logger.error({ err: error }, 'unexpected error');
  return formatError(error instanceof GraphQLError ? error.toJSON() : error, error);
}

/** A result as clients see it. */
export function formatResult(result: ExecutionResult, logger: Logger): FormattedExecutionResult {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((error) => formatRouterError(error, logger)) };
}
