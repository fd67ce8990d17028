import type { Logger } from 'pino';

/** Per-request context on the router: who asks, and the id that follows the request everywhere. */
export interface RouterContext {
  readonly correlationId: string;
  readonly actor: string | undefined;
  readonly logger: Logger;
  /** Part of the subscription deduplication key: clients share upstreams only within one scope. */
  readonly authScope: string;
}
