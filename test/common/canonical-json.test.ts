import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../common/json/canonical-json.js';
import { checkProperty } from '../support/properties.js';

/** Keys that trip naive code: prototype names, integer-like keys (which objects order first), empty, non-ASCII. */
const awkwardKey = fc.constantFrom('__proto__', 'constructor', 'toString', '', '0', '9', '10', '-1', 'a', 'B', 'é', 'ß', '😀', 'a b');
const key = fc.oneof(fc.string({ maxLength: 6 }), awkwardKey);

/** JSON values whose objects have awkward keys, and `undefined` members, which JSON leaves out. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(key, fc.oneof({ weight: 9, arbitrary: tie('value') }, { weight: 1, arbitrary: fc.constant(undefined) })), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries)),
  ),
})).value;

/** The same value with the keys of every object inserted in another order, taken from `tape`. */
function reordered(input: unknown, tape: readonly number[], at = { index: 0 }): unknown {
  const next = () => tape[at.index++ % Math.max(1, tape.length)] ?? 0;
  if (Array.isArray(input)) return input.map((item) => reordered(item, tape, at));
  if (input === null || typeof input !== 'object') return input;
  const entries = Object.entries(input);
  for (let index = entries.length - 1; index > 0; index -= 1) {
    const other = next() % (index + 1);
    [entries[index], entries[other]] = [entries[other]!, entries[index]!];
  }
  return Object.fromEntries(entries.map(([name, item]) => [name, reordered(item, tape, at)]));
}

/** The reference: every object's keys sorted by UTF-16 code units, then plain JSON.stringify. */
function sortedJson(input: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map((element) => (element === undefined ? null : sorted(element)));
    if (item === null || typeof item !== 'object') return item;
    const names = Object.keys(item).sort();
    return Object.fromEntries(
      names.flatMap((name) => ((item as Record<string, unknown>)[name] === undefined ? [] : [[name, sorted((item as Record<string, unknown>)[name])]])),
    );
  };
  // JSON.stringify writes an object's integer-like keys first whatever the insertion order, so
  // the reference writes each sorted object by hand.
  const write = (item: unknown): string => {
    if (Array.isArray(item)) return `[${item.map(write).join(',')}]`;
    if (item === null || typeof item !== 'object') return JSON.stringify(item);
    return `{${Object.keys(item)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${write((item as Record<string, unknown>)[name])}`)
      .join(',')}}`;
  };
  return write(sorted(input));
}

describe('canonical JSON', () => {
  it('writes equal values equally, whatever order their keys were inserted in', () => {
    checkProperty(
      fc.property(value, fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (input, tape) => {
        expect(canonicalJson(reordered(input, tape))).toBe(canonicalJson(input));
      }),
      { numRuns: 500 },
    );
  });

  it("is JSON with every object's keys sorted, and reads back as the value JSON would give", () => {
    checkProperty(
      fc.property(value, (input) => {
        const text = canonicalJson(input);
        expect(text).toBe(sortedJson(input));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(input)));
      }),
      { numRuns: 500 },
    );
  });

  it('writes different values differently', () => {
    checkProperty(
      fc.property(value, value, (left, right) => {
        const equal = JSON.stringify(JSON.parse(sortedJson(left))) === JSON.stringify(JSON.parse(sortedJson(right)));
        expect(canonicalJson(left) === canonicalJson(right)).toBe(equal);
      }),
      { numRuns: 300 },
    );
  });
});
