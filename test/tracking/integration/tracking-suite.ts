import { afterAll, beforeAll } from 'vitest';
import { startTrackingHarness, type TrackingHarness } from '../../support/tracking-harness.js';
import { influencers } from './helpers.js';

/** Starting on a busy machine (PGlite compiles its WebAssembly, then migrates) can take a while. */
const HOOK_TIMEOUT_MS = 180_000;

/** What the tests of a file share: one harness, with one influencer registered. */
export interface TrackingSuite {
  readonly harness: TrackingHarness;
  readonly influencerId: string;
}

/**
 * Starts a tracking harness before the tests of the calling file, registers one influencer in it,
 * and closes it after them. Read its fields inside tests or hooks: they are set once it started.
 */
export function trackingSuite(): TrackingSuite {
  let harness: TrackingHarness | undefined;
  let influencerId: string | undefined;
  beforeAll(async () => {
    harness = await startTrackingHarness();
    [influencerId] = (await influencers(harness, 1)) as [string];
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await harness?.close();
  }, HOOK_TIMEOUT_MS);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the tracking harness is not started yet: read it inside a test or hook');
    return value;
  };
  return {
    get harness() {
      return started(harness);
    },
    get influencerId() {
      return started(influencerId);
    },
  };
}
