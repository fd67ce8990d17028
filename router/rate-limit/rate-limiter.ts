/** A token bucket: `burst` tokens at most, refilled continuously at `ratePerSecond`. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Capacity: how many tokens a full bucket holds, i.e. the largest burst allowed at once. */
  readonly burst: number;
}

/**
 * Requests per caller: a sustained 50 a second, bursts of 100. A client firing 5,000 requests evenly
 * over 2.5 s gets 224 through.
 */
export const DEFAULT_REQUEST_BUCKET: TokenBucketOptions = Object.freeze({ ratePerSecond: 50, burst: 100 });

/**
 * Cost units per caller: a sustained 5,000 a second, bursts of 50,000 (two operations at the
 * default budget back to back; the inventory dashboard, about 12,900, loads every 2.6 s sustained).
 */
export const DEFAULT_COST_BUCKET: TokenBucketOptions = Object.freeze({ ratePerSecond: 5_000, burst: 50_000 });

/** The outcome of one charge to a bucket. */
export interface RateLimitDecision {
  /** True when the bucket held enough tokens; they were taken. */
  readonly allowed: boolean;
  /** Whole tokens left after the charge. */
  readonly remaining: number;
  /** When refused: milliseconds until the bucket holds enough for this charge (0 when allowed). */
  readonly retryAfterMs: number;
}

/**
 * Token buckets by key (a caller's identity, or its address when anonymous). `take` charges
 * `cost` tokens (1 per request, or an operation's cost units) and refuses without charging
 * when too few are left. A charge larger than the burst is charged as the burst: it passes only
 * on a full bucket, and empties it. A key unseen for long starts with a full bucket.
 */
export interface RateLimiter {
  take(key: string, cost?: number): Promise<RateLimitDecision>;
  /** Releases what the limiter owns (connections, timers). */
  close(): Promise<void>;
}

/** Checks bucket options once, so every implementation refuses the same nonsense. */
export function checkBucketOptions(options: TokenBucketOptions): TokenBucketOptions {
  if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) throw new RangeError('ratePerSecond must be a positive number');
  if (!(options.burst >= 1) || !Number.isFinite(options.burst)) throw new RangeError('burst must be at least 1');
  return options;
}

/** Checks a charge: a non-negative finite number of tokens. */
export function checkCost(cost: number): number {
  if (!(cost >= 0) || !Number.isFinite(cost)) throw new RangeError('cost must be a non-negative number');
  return cost;
}
