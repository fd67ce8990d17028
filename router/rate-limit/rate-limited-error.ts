import { RouterError } from '../plugins/router-error.js';
import type { RateLimitDecision } from './rate-limiter.js';

/** Whole seconds to wait before retrying, as `extensions.retryAfter` and the HTTP Retry-After header give it. */
export function retryAfterSeconds(decision: RateLimitDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}

/** The refusal of a rate-limited request: RATE_LIMITED with `retryAfter` in seconds, HTTP 429 with `Retry-After`. */
export function rateLimitedError(decision: RateLimitDecision, what = 'requests'): RouterError {
  const retryAfter = retryAfterSeconds(decision);
  return new RouterError('RATE_LIMITED', `Too many ${what}: retry in ${retryAfter} s.`, {
    httpStatus: 429,
    extensions: { retryAfter },
    headers: { 'retry-after': String(retryAfter) },
  });
}
