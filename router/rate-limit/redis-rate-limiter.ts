import { Redis, type ClientContext, type Result } from 'ioredis';
import { checkBucketOptions, checkCost, type RateLimitDecision, type RateLimiter, type TokenBucketOptions } from './rate-limiter.js';

/**
 * One charge to one bucket, atomically on the Redis server. The bucket is a hash (tokens, updated
 * at) refilled from the server's own clock (TIME), so routers on machines whose clocks disagree
 * share one consistent bucket. The key expires when the bucket would be full again: a missing key
 * is a full bucket, and idle keys clean themselves up.
 *
 * KEYS[1] bucket; ARGV: tokens per millisecond, burst, cost.
 * Returns { allowed (1/0), whole tokens remaining, milliseconds until the charge would pass }.
 */
const TAKE_TOKENS = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
local charge = math.min(cost, burst)
local allowed = 0
local retry = 0
if tokens >= charge then
  tokens = tokens - charge
  allowed = 1
else
  retry = math.ceil((charge - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) / rate)))
return { allowed, math.floor(tokens), retry }
`;

const COMMAND = 'tributaryTakeTokens';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    tributaryTakeTokens(key: string, ratePerMs: string, burst: string, cost: string): Result<[number, number, number], Context>;
  }
}

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions extends TokenBucketOptions {
  /** A Redis URL (the limiter opens and closes its own connection) or a connection to share. */
  readonly redis: string | Redis;
  /** Prefix of the bucket keys; limiters with the same prefix and key share one bucket. */
  readonly prefix?: string;
}

/**
 * Token buckets in Redis, shared by every router that uses the same Redis and prefix: a client
 * spreading its requests over several routers still draws from one bucket. Each charge is one
 * round trip running one Lua script. `take` rejects when Redis cannot be reached; the caller
 * decides whether that lets the request through.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly prefix: string;
  private readonly ratePerMs: string;
  private readonly burst: string;

  constructor(options: RedisRateLimiterOptions) {
    checkBucketOptions(options);
    this.ownsConnection = typeof options.redis === 'string';
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis, { maxRetriesPerRequest: 1 }) : options.redis;
    this.redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_TOKENS });
    this.prefix = options.prefix ?? 'tributary:rate-limit:';
    this.ratePerMs = String(options.ratePerSecond / 1000);
    this.burst = String(options.burst);
  }

  /** The Redis key of a bucket. */
  keyOf(key: string): string {
    return `${this.prefix}${key}`;
  }

  async take(key: string, cost = 1): Promise<RateLimitDecision> {
    checkCost(cost);
    const [allowed, remaining, retryAfterMs] = await this.redis.tributaryTakeTokens(this.keyOf(key), this.ratePerMs, this.burst, String(cost));
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}
