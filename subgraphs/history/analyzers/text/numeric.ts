/** Small numeric helpers shared by the analyzers. */

/** Limits `value` to `[min, max]`; NaN becomes `min` so no NaN ever leaks into a result. */
export function clamp(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return value < min ? min : value > max ? max : value;
}

/**
 * Rounds to 4 decimals (half away from zero), normalising `-0` to `0`. Results are stored and
 * compared, so rounding keeps them free of floating-point noise such as `0.30000000000000004`.
 */
export function round4(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 10_000)) / 10_000;
  return rounded === 0 ? 0 : rounded;
}

/** `numerator / denominator`, or 0 when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
