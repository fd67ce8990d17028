import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { currentTraceparent } from '../../../common/telemetry/tracing.js';
import { ANONYMOUS_SUBJECT, SYSTEM_SUBJECT_PREFIX, type RouterAssertion } from '../../../common/trust/router-token.js';
import type { EventMetadata } from '../event-store/contract.js';

export { CORRELATION_HEADER, DEADLINE_HEADER } from '../../../common/trust/headers.js';

/** What every resolver of every subgraph can rely on. */
export interface RequestContext {
  readonly correlationId: string;
  /** The caller the router verified; undefined for anonymous callers and the router's own calls. */
  readonly actor: string | undefined;
  /** Scopes the router granted the caller. */
  readonly scopes: readonly string[];
  /** A child logger carrying the correlation id. */
  readonly logger: Logger;
  /** Metadata for the events this request appends. */
  readonly metadata: EventMetadata;
  /** When the router stops waiting for this call (ms since the epoch), if it said. */
  readonly deadline: number | undefined;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The router's deadline from its header (ms since the epoch), or undefined. */
export function parseDeadline(header: string | undefined): number | undefined {
  return header && /^\d{1,16}$/.test(header) ? Number(header) : undefined;
}

/** Headers of a call that shape its context besides the router's assertion. */
export interface CallHeaders {
  /** The router's deadline (ms since the epoch). */
  readonly deadline?: string | undefined;
  /** The request's correlation id, as the router passed it on. */
  readonly correlationId?: string | undefined;
}

/**
 * The base context of a call the router signed. Only the verified assertion names the actor: no
 * header can, and no call can act as one of the service's own system actors.
 */
export function createRequestContext(logger: Logger, assertion: RouterAssertion, headers: CallHeaders = {}): RequestContext {
  const correlationId = headers.correlationId && SAFE_ID.test(headers.correlationId) ? headers.correlationId : randomUUID();
  const subject = assertion.subject;
  const actor = subject === ANONYMOUS_SUBJECT || subject.startsWith(SYSTEM_SUBJECT_PREFIX) ? undefined : subject;
  const deadline = parseDeadline(headers.deadline);
  // The events this request appends point back at its trace, so their deliveries can link to it.
  const traceparent = currentTraceparent();
  return {
    correlationId,
    actor,
    scopes: assertion.scopes,
    logger: logger.child({ correlationId }),
    metadata: { correlationId, ...(actor ? { actor } : {}), ...(traceparent ? { traceparent } : {}) },
    deadline,
  };
}
