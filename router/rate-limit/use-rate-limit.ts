import type { Logger } from 'pino';
import type { RouterContext } from '../context/router-context.js';
import type { OperationHandle, RouterPlugin } from '../plugins/contract.js';
import { rateLimitedError } from './rate-limited-error.js';
import { rateLimitKey } from './rate-limit-key.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

export interface RateLimitOptions {
  /** Charged 1 per operation. */
  readonly requests: RateLimiter;
  /** Charged each operation's estimated cost, when `costOf` gives one. */
  readonly cost?: RateLimiter;
  readonly costOf?: (operation: OperationHandle) => number | undefined;
  /** Logs a limiter that cannot be reached (the operation then goes through). */
  readonly logger?: Logger;
}

/**
 * Rate limits per caller (the identity's subject, or the client address when anonymous): one
 * token per operation, and its cost units, from token buckets in memory or shared in Redis.
 * Refusals are RATE_LIMITED with `retryAfter`, HTTP 429 with `Retry-After`. A limiter that cannot
 * be reached (Redis down) lets operations through rather than refuse everyone.
 */
export function useRateLimit(options: RateLimitOptions): RouterPlugin {
  let lastWarning = 0;
  const take = async (limiter: RateLimiter, key: string, units: number): Promise<RateLimitDecision | undefined> => {
    try {
      return await limiter.take(key, units);
    } catch (error) {
      if (Date.now() - lastWarning > 10_000) options.logger?.warn({ err: error }, 'rate limiter unreachable; letting operations through');
      lastWarning = Date.now();
      return undefined;
    }
  };
  const keyOf = (context: RouterContext) => rateLimitKey({ subject: context.identity?.subject ?? null, ip: context.clientAddress ?? null });
  return {
    name: 'rate-limit',
    // Charged before the operation is even parsed, so a flood costs little.
    async onParse(event) {
      const request = await take(options.requests, keyOf(event.context), 1);
      if (request && !request.allowed) throw rateLimitedError(request);
    },
    // Charged once planned: every operation hook has run, so the cost estimate is known.
    async onPlan(event) {
      const units = options.cost ? options.costOf?.(event.operation) : undefined;
      if (!options.cost || units === undefined || units <= 0) return;
      const cost = await take(options.cost, keyOf(event.context), units);
      if (cost && !cost.allowed) throw rateLimitedError(cost, 'cost units');
    },
    async close() {
      await options.requests.close();
      await options.cost?.close();
    },
  };
}
