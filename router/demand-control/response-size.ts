import { GraphQLError } from 'graphql';
import { DemandControlCode } from './cost-budget.js';

/** Largest response body the router builds: beyond it the client gets RESPONSE_TOO_LARGE instead. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Characters JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

class LimitPassed extends Error {}

/**
 * Adds up the UTF-8 size of `JSON.stringify(value)` without building the text, throwing
 * {@link LimitPassed} as soon as the total passes `limit`.
 */
class JsonSizer {
  total = 0;
  private readonly ancestors = new Set<object>();

  constructor(private readonly limit: number) {}

  private add(bytes: number): void {
    this.total += bytes;
    if (this.total > this.limit) throw new LimitPassed();
  }

  /** The value JSON writes for `input` (what its `toJSON` returns, if it has one). */
  private static resolve(input: unknown, key: string): unknown {
    if (input !== null && typeof input === 'object' && typeof (input as { toJSON?: unknown }).toJSON === 'function') {
      return (input as { toJSON(key: string): unknown }).toJSON(key);
    }
    return input;
  }

  /** Values JSON leaves out of objects (and writes as null in arrays). */
  private static omitted(value: unknown): boolean {
    return value === undefined || typeof value === 'function' || typeof value === 'symbol';
  }

  private static quoted(text: string): number {
    return NEEDS_ESCAPE.test(text) ? Buffer.byteLength(JSON.stringify(text), 'utf8') : Buffer.byteLength(text, 'utf8') + 2;
  }

  /** Counts a top-level value. */
  root(input: unknown): void {
    const value = JsonSizer.resolve(input, '');
    if (!JsonSizer.omitted(value)) this.count(value);
  }

  private count(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.add(JsonSizer.quoted(value));
      case 'number':
        return this.add(Number.isFinite(value) ? String(value).length : 4);
      case 'boolean':
        return this.add(value ? 4 : 5);
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      default:
        if (value === null || typeof value !== 'object') return this.add(4);
        return this.container(value);
    }
  }

  private container(value: object): void {
    if (this.ancestors.has(value)) throw new TypeError('Converting circular structure to JSON');
    this.ancestors.add(value);
    this.add(2);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        if (index > 0) this.add(1);
        const item = JsonSizer.resolve(value[index], String(index));
        if (JsonSizer.omitted(item)) this.add(4);
        else this.count(item);
      }
    } else {
      let written = 0;
      for (const key of Object.keys(value)) {
        const member = JsonSizer.resolve((value as Record<string, unknown>)[key], key);
        if (JsonSizer.omitted(member)) continue;
        // A comma before all but the first member, the quoted key and a colon.
        this.add((written > 0 ? 1 : 0) + JsonSizer.quoted(key) + 1);
        this.count(member);
        written += 1;
      }
    }
    this.ancestors.delete(value);
  }
}

/**
 * The UTF-8 byte length of `JSON.stringify(value)`, computed without building the text. With a
 * `limit`, it stops as soon as the size passes it and returns that partial total (> limit), so a
 * huge result is measured only up to the limit. Values JSON cannot hold throw as JSON.stringify does.
 */
export function jsonByteLength(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  const sizer = new JsonSizer(limit);
  try {
    sizer.root(value);
  } catch (error) {
    if (!(error instanceof LimitPassed)) throw error;
  }
  return sizer.total;
}

/** The refusal of a response over the size limit. */
export function responseTooLarge(limit: number, atLeast: number): GraphQLError {
  return new GraphQLError(`The response would be at least ${atLeast} bytes, more than the limit of ${limit}: select fewer or smaller lists.`, {
    extensions: { code: DemandControlCode.RESPONSE_TOO_LARGE, limit, found: atLeast },
  });
}

/**
 * Keeps count of one response's size as its parts arrive (subgraph response bodies as they
 * stream in, or result values before they are serialised) and refuses once past the limit, so the
 * router stops before it holds or writes a body that large.
 */
export class ResponseSizeGuard {
  private total = 0;

  constructor(readonly limit: number = DEFAULT_MAX_RESPONSE_BYTES) {}

  /** Bytes counted so far. */
  get bytes(): number {
    return this.total;
  }

  /** Counts `bytes` more (e.g. a chunk of a subgraph response); throws RESPONSE_TOO_LARGE once past the limit. */
  add(bytes: number): void {
    this.total += bytes;
    if (this.total > this.limit) throw responseTooLarge(this.limit, this.total);
  }

  /** Counts the JSON size of `value`, measuring no further than the limit; throws RESPONSE_TOO_LARGE once past it. */
  addJson(value: unknown): void {
    this.add(jsonByteLength(value, this.limit - this.total));
  }
}
