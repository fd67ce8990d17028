/**
 * The one seeded pseudo-random stream of the test suite, for what a property cannot express well:
 * load generators that drive thousands of commands through a database, fixture texts, jitter.
 * Everything that wants randomized inputs with shrinking uses fast-check (`./properties.ts`).
 */
export interface SeededRandom {
  /** The next number in [0, 1). */
  (): number;
  /** An integer in [0, max]. */
  readonly int: (max: number) => number;
  /** One of `items` (which must not be empty). */
  readonly pick: <T>(items: readonly T[]) => T;
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean;
}

/** mulberry32: 32 bits of state, the same stream for the same seed on every run and platform. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return Object.assign(next, {
    int: (max: number): number => Math.floor(next() * (max + 1)),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick needs at least one item');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p: number): boolean => next() < p,
  });
}
