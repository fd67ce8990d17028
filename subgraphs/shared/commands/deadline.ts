import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlClient } from '../database/sql.js';
import { DomainError, ErrorCode } from '../errors/codes.js';

/**
 * Time kept back from the router's deadline: a command must be committed this long before it, so
 * that its answer can still reach the router in time. A commit whose answer is still lost on the
 * way is the rare case the router reports with `outcome: UNKNOWN` (a retry with the same
 * idempotency key then answers what was stored).
 */
export const COMMIT_MARGIN_MS = 250;

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` with the router's deadline for it (ms since the epoch): commands started inside it keep to it. */
export function withDeadline<T>(deadline: number | undefined, work: () => T): T {
  return deadline === undefined ? work() : deadlines.run(deadline, work);
}

/** The deadline of the request the caller runs for, if the router gave one. */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/** The refusal of a command the router will no longer wait for: nothing of it was written. */
export function deadlineExceeded(deadline: number): DomainError {
  return new DomainError(ErrorCode.DEADLINE_EXCEEDED, `the command was not run: the router stopped waiting ${Math.max(0, Date.now() - deadline)} ms ago`, {
    outcome: 'NOT_APPLIED',
  });
}

/** Refuses to start (or, called right before COMMIT, to commit) past the deadline less the margin. */
export function checkDeadline(deadline: number | undefined): void {
  if (deadline !== undefined && Date.now() > deadline - COMMIT_MARGIN_MS) throw deadlineExceeded(deadline);
}

/**
 * Bounds every statement of transaction `tx` by the time left before the deadline, so a slow
 * statement (a lock wait, a big read) fails instead of running past it.
 */
export async function boundStatements(tx: SqlClient, deadline: number | undefined): Promise<void> {
  if (deadline === undefined) return;
  const left = Math.max(1, Math.floor(deadline - COMMIT_MARGIN_MS - Date.now()));
  // SET does not take parameters; the value is an integer computed here.
  await tx.query(`SET LOCAL statement_timeout = ${left}`);
}
