import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_REQUEST_BUCKET,
  MemoryRateLimiter,
  RedisRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type TokenBucketOptions,
} from '../../router/rate-limit/index.js';
import { pollUntil, sleep } from '../support/waiting.js';
import { testRedis, type TestRedis } from './test-redis.js';

let redis: TestRedis;
const opened: RateLimiter[] = [];

beforeAll(async () => {
  redis = await testRedis();
});

afterAll(async () => {
  await Promise.all(opened.map((limiter) => limiter.close()));
  await redis.stop();
});

const prefix = () => `tributary-test-${randomUUID()}:`;

function redisLimiter(bucket: TokenBucketOptions, keyPrefix = prefix()): RedisRateLimiter {
  const limiter = new RedisRateLimiter({ ...bucket, redis: redis.url, prefix: keyPrefix });
  opened.push(limiter);
  return limiter;
}

const implementations: Array<[string, (bucket: TokenBucketOptions) => RateLimiter]> = [
  ['in memory', (bucket) => new MemoryRateLimiter(bucket)],
  ['in Redis', (bucket) => redisLimiter(bucket)],
];

describe.each(implementations)('token buckets %s', (_name, limiterOf) => {
  it('lets a burst through, then refuses with the wait until the next token', async () => {
    const limiter = limiterOf({ ratePerSecond: 1, burst: 5 });
    const decisions = [];
    for (let request = 0; request < 6; request += 1) decisions.push(await limiter.take('client'));
    expect(decisions.slice(0, 5)).toEqual([4, 3, 2, 1, 0].map((remaining) => ({ allowed: true, remaining, retryAfterMs: 0 })));
    const refused = decisions[5]!;
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    // One token a second: the next one is at most a second away.
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
  });

  it('refills over time: a refused request passes once its retryAfter has elapsed', async () => {
    const limiter = limiterOf({ ratePerSecond: 20, burst: 2 });
    await limiter.take('client');
    await limiter.take('client');
    const refused = await limiter.take('client');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(50);
    // The refill over time is the subject: wait out the retryAfter the limiter gave.
    await sleep(refused.retryAfterMs + 20);
    expect((await limiter.take('client')).allowed).toBe(true);
  });

  it('charges per cost unit and refuses a charge larger than what is left without taking anything', async () => {
    const limiter = limiterOf({ ratePerSecond: 0.001, burst: 10 });
    expect(await limiter.take('client', 7)).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0 });
    expect(await limiter.take('client', 5)).toMatchObject({ allowed: false, remaining: 3 });
    expect(await limiter.take('client', 3)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(await limiter.take('client', 0)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('charges more than the burst as a whole bucket: it passes only when the bucket is full', async () => {
    const limiter = limiterOf({ ratePerSecond: 1, burst: 5 });
    expect(await limiter.take('client', 50)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    const refused = await limiter.take('client', 50);
    expect(refused.allowed).toBe(false);
    // A full bucket again takes five seconds at one token a second.
    expect(refused.retryAfterMs).toBeGreaterThan(4_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it('keeps the buckets of different keys apart', async () => {
    const limiter = limiterOf({ ratePerSecond: 0.001, burst: 1 });
    expect((await limiter.take('sub:alice')).allowed).toBe(true);
    expect((await limiter.take('sub:alice')).allowed).toBe(false);
    expect(await limiter.take('sub:bob')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('refuses nonsense buckets and charges', async () => {
    expect(() => limiterOf({ ratePerSecond: 0, burst: 5 })).toThrow(RangeError);
    expect(() => limiterOf({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
    const limiter = limiterOf({ ratePerSecond: 1, burst: 5 });
    await expect(limiter.take('client', -1)).rejects.toThrow(RangeError);
    await expect(limiter.take('client', Number.NaN)).rejects.toThrow(RangeError);
  });
});

describe('token buckets in Redis', () => {
  it('two limiters on one Redis share one bucket, and every charge is atomic', async () => {
    const shared = prefix();
    const first = redisLimiter({ ratePerSecond: 0.001, burst: 20 }, shared);
    const second = redisLimiter({ ratePerSecond: 0.001, burst: 20 }, shared);
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? first : second).take('ip:203.0.113.7')));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
    expect(decisions.filter((decision) => !decision.allowed)).toHaveLength(10);
    // The 20 allowed charges each saw a different remaining count: none was lost to a race.
    expect(new Set(decisions.filter((decision) => decision.allowed).map((decision) => decision.remaining)).size).toBe(20);
  });

  it('two routers sharing one Redis let a 5,000-request flood from one client through only as far as the default bucket allows', async () => {
    const shared = prefix();
    const routers = [redisLimiter(DEFAULT_REQUEST_BUCKET, shared), redisLimiter(DEFAULT_REQUEST_BUCKET, shared)];
    const started = performance.now();
    const decisions: RateLimitDecision[] = [];
    // 50 clients' worth of concurrency, alternating between the two routers.
    for (let wave = 0; wave < 100; wave += 1) {
      decisions.push(...(await Promise.all(Array.from({ length: 50 }, (_, index) => routers[index % 2]!.take('ip:203.0.113.9')))));
    }
    const seconds = (performance.now() - started) / 1000;
    const allowed = decisions.filter((decision) => decision.allowed).length;
    expect(allowed).toBeGreaterThanOrEqual(DEFAULT_REQUEST_BUCKET.burst);
    // The burst, plus what refilled while the flood lasted.
    expect(allowed).toBeLessThanOrEqual(DEFAULT_REQUEST_BUCKET.burst + Math.ceil(DEFAULT_REQUEST_BUCKET.ratePerSecond * seconds) + 1);
    expect(decisions.length - allowed).toBeGreaterThan(4_000);
  });

  it('keeps a bucket only until it would be full again: the key expires and the next charge starts full', async () => {
    const limiter = redisLimiter({ ratePerSecond: 100, burst: 10 });
    const client = new Redis(redis.url);
    try {
      await limiter.take('client', 10);
      const key = limiter.keyOf('client');
      // Empty, it refills in 10 / 100 per second = 100 ms.
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(100);
      await pollUntil(async () => (await client.exists(key)) === 0, 'the bucket key to expire', 10_000);
      expect(await limiter.take('client')).toEqual({ allowed: true, remaining: 9, retryAfterMs: 0 });
    } finally {
      client.disconnect();
    }
  });
});

describe('token buckets in memory', () => {
  it('drops buckets once they have refilled, so idle keys hold no memory', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ ratePerSecond: 10, burst: 10, now: () => now });
    for (let client = 0; client < 100; client += 1) await limiter.take(`ip:198.51.100.${client}`);
    expect(limiter.size).toBe(100);
    now = 999;
    await limiter.take('ip:192.0.2.1');
    expect(limiter.size).toBe(101);
    // Ten tokens at ten a second: after a second every earlier bucket is full, hence gone.
    now = 1_000;
    expect(await limiter.take('ip:192.0.2.2')).toEqual({ allowed: true, remaining: 9, retryAfterMs: 0 });
    expect(limiter.size).toBe(2);
  });

  it('lets a 5,000-request flood in 2.5 s from one client through only as far as the default bucket allows', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ ...DEFAULT_REQUEST_BUCKET, now: () => now });
    let allowed = 0;
    for (let request = 0; request < 5_000; request += 1) {
      now = request * 0.5;
      if ((await limiter.take('ip:203.0.113.9')).allowed) allowed += 1;
    }
    // 100 at once, then one every 20 ms until the last request, 2,499.5 ms in.
    expect(allowed).toBe(100 + 124);
  });

  it('decides as the Redis limiter does for the same charges', async () => {
    const bucket = { ratePerSecond: 1 / 3_600, burst: 10 };
    const memory = new MemoryRateLimiter(bucket);
    const shared = redisLimiter(bucket);
    const charges = [1, 3, 2, 5, 1, 1, 4, 0, 2, 1, 1];
    const inMemory: RateLimitDecision[] = [];
    const inRedis: RateLimitDecision[] = [];
    for (const cost of charges) {
      inMemory.push(await memory.take('client', cost));
      inRedis.push(await shared.take('client', cost));
    }
    const decisions = (list: RateLimitDecision[]) => list.map(({ allowed, remaining }) => ({ allowed, remaining }));
    expect(decisions(inRedis)).toEqual(decisions(inMemory));
    expect(inMemory.some((decision) => !decision.allowed)).toBe(true);
    // The waits agree up to the milliseconds between the two charges.
    for (const [index, decision] of inMemory.entries()) expect(Math.abs(decision.retryAfterMs - inRedis[index]!.retryAfterMs)).toBeLessThan(2_000);
  });
});
