import { describe, expect, it } from 'vitest';
import { jsonByteLength, ResponseSizeGuard } from '../../router/demand-control/index.js';

const serialisedBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

describe('response size', () => {
  it('measures exactly the bytes JSON.stringify would write', () => {
    const values: unknown[] = [
      null,
      true,
      false,
      0,
      -0,
      1.5,
      -12e-7,
      1e21,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      'plain',
      'quote " backslash \\ newline \n tab \t bell \u0007',
      'é ü 中文 😀',
      'lone \ud800 surrogate',
      [],
      {},
      [1, 'two', null, undefined, () => 1, { three: 3 }],
      { a: 1, skipped: undefined, fn: () => 1, 'key "quoted"': 'v', ключ: 'значение', nested: { list: [[], {}, [null]] } },
      { when: new Date('2026-11-25T10:00:00.000Z'), custom: { toJSON: () => ({ replaced: true }) } },
      { data: { products: { edges: Array.from({ length: 50 }, (_, index) => ({ node: { id: `p${index}`, name: `Product ${index}` } })) } } },
    ];
    for (const value of values) expect(jsonByteLength(value), JSON.stringify(value)).toBe(serialisedBytes(value));
  });

  it('stops measuring once past the limit', () => {
    let visited = 0;
    const items = Array.from({ length: 100_000 }, (_, index) => ({
      get name() {
        visited += 1;
        return `item ${index}`;
      },
    }));
    const measured = jsonByteLength({ items }, 1_000);
    expect(measured).toBeGreaterThan(1_000);
    expect(measured).toBeLessThan(1_100);
    expect(visited).toBeLessThan(100);
  });

  it('throws as JSON.stringify does on values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonByteLength(cyclic)).toThrow(TypeError);
    expect(() => jsonByteLength({ big: 1n })).toThrow(TypeError);
  });

  it('refuses with RESPONSE_TOO_LARGE once the parts of a response pass the limit', () => {
    const guard = new ResponseSizeGuard(100);
    guard.add(60);
    guard.addJson({ a: 'bcdefghijklmnopqrstuvwxyz' });
    expect(guard.bytes).toBe(60 + 33);
    let refusal: unknown;
    try {
      guard.addJson({ more: 'x'.repeat(10_000) });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ extensions: { code: 'RESPONSE_TOO_LARGE', limit: 100 } });
    expect((refusal as { extensions: { found: number } }).extensions.found).toBeGreaterThan(100);
    expect((refusal as { extensions: { found: number } }).extensions.found).toBeLessThan(200);
  });

  it('lets a response of exactly the limit through', () => {
    const value = { text: 'x'.repeat(20) };
    const guard = new ResponseSizeGuard(serialisedBytes(value));
    guard.addJson(value);
    expect(guard.bytes).toBe(serialisedBytes(value));
    expect(() => guard.add(1)).toThrow('The response would be at least 32 bytes, more than the limit of 31: select fewer or smaller lists.');
  });
});
