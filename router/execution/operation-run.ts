import type { Logger } from 'pino';
import { ResponseSizeGuard } from '../demand-control/response-size.js';
import type { RouterContext } from '../context/router-context.js';
import type { OperationHandle } from '../plugins/contract.js';

/**
 * One run of an operation: a query or mutation, or the enrichment of the events of one shared
 * subscription. It is what the gateway's executor passes to the data sources as the incoming
 * request context, so every subgraph fetch knows its caller, operation and sharing scope.
 */
export interface OperationRun {
  readonly request: { readonly variables: Record<string, unknown>; readonly operationName: string | undefined };
  readonly context: RouterContext;
  readonly logger: Logger;
  /** Read and written by the gateway's executor (query plan traces, error paths). */
  readonly metrics: Record<string, unknown>;
  readonly operation: OperationHandle;
  /** Identical queries to one subgraph are shared only between runs with the same scope. */
  readonly sharing: string;
  /** Counts the bytes of the subgraph responses of this run, refusing past the response limit. */
  readonly responseGuard: ResponseSizeGuard | undefined;
}

/** The run of an operation for `context`. */
export function operationRun(
  context: RouterContext,
  operation: OperationHandle,
  variables: Readonly<Record<string, unknown>>,
  operationName: string | undefined,
  sharing: string,
  maxResponseBytes?: number,
): OperationRun {
  return {
    request: { variables: { ...variables }, operationName },
    context,
    logger: context.logger,
    metrics: {},
    operation,
    sharing,
    responseGuard: maxResponseBytes === undefined ? undefined : new ResponseSizeGuard(maxResponseBytes),
  };
}

/** The run behind a data source call, when the call is part of a client operation. */
export function runOf(incoming: unknown): OperationRun | undefined {
  if (typeof incoming !== 'object' || incoming === null || !('operation' in incoming) || !('sharing' in incoming)) return undefined;
  return incoming as OperationRun;
}
