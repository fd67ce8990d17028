import { checkBucketOptions, checkCost, type RateLimitDecision, type RateLimiter, type TokenBucketOptions } from './rate-limiter.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Options of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends TokenBucketOptions {
  /** Milliseconds from a monotonic clock; `performance.now()` unless a test drives time. */
  readonly now?: () => number;
}

/**
 * Token buckets in this process's memory: the limiter of the embedded single-process setup,
 * where one router serves every client. Buckets untouched for as long as a refill from empty
 * takes are full again, and are dropped: memory holds only the keys active that recently.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly now: () => number;

  constructor(options: MemoryRateLimiterOptions) {
    checkBucketOptions(options);
    this.ratePerMs = options.ratePerSecond / 1000;
    this.burst = options.burst;
    this.refillMs = this.burst / this.ratePerMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Keys currently held (those active within one full refill). */
  get size(): number {
    return this.buckets.size;
  }

  async take(key: string, cost = 1): Promise<RateLimitDecision> {
    return this.takeNow(key, cost);
  }

  /** {@link take} without the promise, for callers on a synchronous path. */
  takeNow(key: string, cost = 1): RateLimitDecision {
    checkCost(cost);
    const now = this.now();
    this.dropFull(now);
    const bucket = this.buckets.get(key);
    const elapsed = bucket ? Math.max(0, now - bucket.updatedAt) : 0;
    let tokens = bucket ? Math.min(this.burst, bucket.tokens + elapsed * this.ratePerMs) : this.burst;
    const charge = Math.min(cost, this.burst);
    const allowed = tokens >= charge;
    if (allowed) tokens -= charge;
    // Re-inserting keeps the map ordered by last update, oldest first, for dropFull.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, updatedAt: Math.max(now, bucket?.updatedAt ?? now) });
    return { allowed, remaining: Math.floor(tokens), retryAfterMs: allowed ? 0 : Math.ceil((charge - tokens) / this.ratePerMs) };
  }

  /** Drops buckets that have refilled completely: a missing bucket is a full one. */
  private dropFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < this.refillMs) return;
      this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
