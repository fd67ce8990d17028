import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, rateLimitedError, rateLimitKey, retryAfterSeconds } from '../../router/rate-limit/index.js';

describe('rate-limit refusals', () => {
  it('refuses with RATE_LIMITED and the whole seconds to wait in retryAfter', async () => {
    const limiter = new MemoryRateLimiter({ ratePerSecond: 0.5, burst: 1 });
    await limiter.take('sub:alice');
    const refused = await limiter.take('sub:alice');
    expect(refused.allowed).toBe(false);
    const error = rateLimitedError(refused);
    // Half a token a second: the next one is up to two seconds away.
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 2 });
    expect(error.message).toBe('Too many requests: retry in 2 s.');
  });

  it('rounds the wait up, and never down to zero', () => {
    expect(retryAfterSeconds({ allowed: false, remaining: 0, retryAfterMs: 1 })).toBe(1);
    expect(retryAfterSeconds({ allowed: false, remaining: 0, retryAfterMs: 1_000 })).toBe(1);
    expect(retryAfterSeconds({ allowed: false, remaining: 0, retryAfterMs: 1_001 })).toBe(2);
  });
});

describe('rate-limit keys', () => {
  it('keys an authenticated caller by its subject, whatever its address', () => {
    expect(rateLimitKey({ subject: 'user-42', ip: '203.0.113.7' })).toBe('sub:user-42');
  });

  it('keys an anonymous caller by its IPv4 address, written plainly or IPv4-mapped', () => {
    expect(rateLimitKey({ ip: '203.0.113.7' })).toBe('ip:203.0.113.7');
    expect(rateLimitKey({ ip: '::ffff:203.0.113.7' })).toBe('ip:203.0.113.7');
  });

  it('keys an IPv6 caller by its /64 network, however the address is written', () => {
    const key = rateLimitKey({ ip: '2001:db8:85a3:0:1:2:3:4' });
    expect(key).toBe('ip6:2001:db8:85a3:0::/64');
    expect(rateLimitKey({ ip: '2001:0db8:85a3::ffff:1' })).toBe(key);
    expect(rateLimitKey({ ip: '2001:db8:85a4::1' })).not.toBe(key);
    expect(rateLimitKey({ ip: '::1' })).toBe('ip6:0:0:0:0::/64');
  });

  it('puts callers with neither subject nor address in one shared bucket', () => {
    expect(rateLimitKey({})).toBe('anonymous');
    expect(rateLimitKey({ ip: 'not an address' })).toBe('anonymous');
  });
});
