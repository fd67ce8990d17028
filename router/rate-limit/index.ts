/**
 * Rate limiting by token bucket, per caller: {@link MemoryRateLimiter} for a single process and
 * {@link RedisRateLimiter} for routers sharing one Redis, behind one {@link RateLimiter} interface.
 * Charge 1 per request, or an operation's cost units, and refuse with {@link rateLimitedError}.
 */
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-rate-limiter.js';
export { rateLimitedError, retryAfterSeconds } from './rate-limited-error.js';
export { rateLimitKey, type RateLimitCaller } from './rate-limit-key.js';
export {
  checkBucketOptions,
  DEFAULT_COST_BUCKET,
  DEFAULT_REQUEST_BUCKET,
  type RateLimitDecision,
  type RateLimiter,
  type TokenBucketOptions,
} from './rate-limiter.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
