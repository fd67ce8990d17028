import fc from 'fast-check';

/**
 * The seed every property runs with, so a failure reproduces on any machine: fast-check's report
 * names it with the path of the shrunk counterexample. `PROPERTY_SEED=<n>` explores other inputs.
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20_261_124);

if (!Number.isSafeInteger(PROPERTY_SEED)) throw new Error(`PROPERTY_SEED must be an integer, got ${process.env.PROPERTY_SEED}`);

/** The parameters of {@link checkProperty}: fast-check's, the seed fixed unless given. */
export type PropertyParameters<Ts> = fc.Parameters<Ts>;

const withSeed = <Ts>(parameters: PropertyParameters<Ts>): PropertyParameters<Ts> => ({ seed: PROPERTY_SEED, ...parameters });

/**
 * `fc.assert` with the fixed seed. Set `numRuns` so the property stays well under a second: the
 * suite runs every property on both backends in CI.
 */
export function checkProperty<Ts>(property: fc.IAsyncPropertyWithHooks<Ts>, parameters?: PropertyParameters<Ts>): Promise<void>;
export function checkProperty<Ts>(property: fc.IPropertyWithHooks<Ts>, parameters?: PropertyParameters<Ts>): void;
export function checkProperty<Ts>(
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>,
  parameters: PropertyParameters<Ts> = {},
): Promise<void> | void {
  return fc.assert(property as fc.IRawProperty<Ts>, withSeed(parameters));
}
