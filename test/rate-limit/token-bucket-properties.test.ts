import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, type RateLimitDecision, type TokenBucketOptions } from '../../router/rate-limit/index.js';
import { checkProperty } from '../support/properties.js';

/** A bucket: from a trickle to a flood, from a single token to a deep burst. */
const bucket: fc.Arbitrary<TokenBucketOptions> = fc.record({
  ratePerSecond: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0.01, max: 50, noNaN: true })),
  burst: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 1, max: 20, noNaN: true })),
});

/** One charge: after some milliseconds (often none), by one of a few callers, for some tokens. */
interface Charge {
  readonly afterMs: number;
  readonly key: string;
  readonly cost: number;
}

const charges = (maxLength: number): fc.Arbitrary<Charge[]> =>
  fc.array(
    fc.record({
      afterMs: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
      ),
      key: fc.constantFrom('sub:alice', 'sub:bob', 'ip:203.0.113.7'),
      cost: fc.oneof(
        { weight: 6, arbitrary: fc.constant(1) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 150 }) },
        { weight: 1, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
      ),
    }),
    { maxLength, size: 'max' },
  );

interface Taken {
  readonly at: number;
  readonly key: string;
  readonly cost: number;
  readonly decision: RateLimitDecision;
}

/** Runs the charges on a limiter whose clock the test drives. */
function run(options: TokenBucketOptions, list: readonly Charge[]): Taken[] {
  let now = 1_000;
  const limiter = new MemoryRateLimiter({ ...options, now: () => now });
  return list.map(({ afterMs, key, cost }) => {
    now += afterMs;
    return { at: now, key, cost, decision: limiter.takeNow(key, cost) };
  });
}

/** What an allowed charge takes from the bucket: a charge above the burst is charged as the burst. */
const charged = (options: TokenBucketOptions, cost: number): number => Math.min(cost, options.burst);

/** Room for the rounding of the limiter's floating-point arithmetic, nothing more. */
const SLACK = 1e-6;

describe('token buckets under random charges', () => {
  it('never allows more than the burst plus what the rate refills, over any stretch of time, for any caller', () => {
    checkProperty(
      fc.property(bucket, charges(120), (options, list) => {
        const taken = run(options, list);
        for (const key of new Set(taken.map((take) => take.key))) {
          const mine = taken.filter((take) => take.key === key);
          for (let first = 0; first < mine.length; first += 1) {
            let sum = 0;
            for (let last = first; last < mine.length; last += 1) {
              if (mine[last]!.decision.allowed) sum += charged(options, mine[last]!.cost);
              const limit = options.burst + (options.ratePerSecond * (mine[last]!.at - mine[first]!.at)) / 1000;
              // A plain check: `expect` in this quadratic loop would cost most of the second.
              if (sum > limit * (1 + SLACK) + SLACK) throw new Error(`${key} was allowed ${sum} tokens in charges ${first}..${last}, at most ${limit}`);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports what is left as whole tokens within the burst, and a wait only with a refusal', () => {
    checkProperty(
      fc.property(bucket, charges(80), (options, list) => {
        for (const { decision } of run(options, list)) {
          const whole = Number.isInteger(decision.remaining) && decision.remaining >= 0 && decision.remaining <= options.burst;
          const wait = decision.allowed ? decision.retryAfterMs === 0 : decision.retryAfterMs > 0;
          if (!whole || !wait) throw new Error(`inconsistent decision ${JSON.stringify(decision)}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lets a refused charge through once its retryAfter has passed', () => {
    checkProperty(
      fc.property(bucket, charges(60), fc.integer({ min: 0, max: 150 }), (options, list, cost) => {
        let now = 1_000;
        const limiter = new MemoryRateLimiter({ ...options, now: () => now });
        for (const charge of list) {
          now += charge.afterMs;
          limiter.takeNow(charge.key, charge.cost);
        }
        const refused = limiter.takeNow('sub:alice', cost);
        if (refused.allowed) return;
        now += refused.retryAfterMs;
        expect(limiter.takeNow('sub:alice', cost).allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a caller idle for a whole refill a full bucket again', () => {
    checkProperty(
      fc.property(bucket, charges(60), (options, list) => {
        let now = 1_000;
        const limiter = new MemoryRateLimiter({ ...options, now: () => now });
        for (const charge of list) {
          now += charge.afterMs;
          limiter.takeNow(charge.key, charge.cost);
        }
        now += Math.ceil((options.burst / options.ratePerSecond) * 1000);
        expect(limiter.takeNow('sub:bob', options.burst)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
      }),
      { numRuns: 300 },
    );
  });
});
