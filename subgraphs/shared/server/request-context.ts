import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventMetadata } from '../event-store/contract.js';

/** Headers the router sets on every subgraph call. */
export const CORRELATION_HEADER = 'x-correlation-id';
export const ACTOR_HEADER = 'x-actor';

/** What every resolver of every subgraph can rely on. */
export interface RequestContext {
  readonly correlationId: string;
  /** The authenticated caller, as asserted by the router. */
  readonly actor: string | undefined;
  /** A child logger carrying the correlation id. */
  readonly logger: Logger;
  /** Metadata for the events this request appends. */
  readonly metadata: EventMetadata;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the base context from transport headers (HTTP) or connection params (WebSocket). */
export function createRequestContext(logger: Logger, read: (name: string) => string | undefined): RequestContext {
  const given = read(CORRELATION_HEADER);
  const correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
  const actorHeader = read(ACTOR_HEADER);
  const actor = actorHeader && actorHeader.length <= 200 ? actorHeader : undefined;
  return {
    correlationId,
    actor,
    logger: logger.child({ correlationId }),
    metadata: { correlationId, ...(actor ? { actor } : {}) },
  };
}
