import { historyProjections } from './history/projections/index.js';
import { inventoryProjections } from './inventory/projections/index.js';
import { trackingProjections } from './tracking/projections/index.js';
import type { AnyStreamProjection } from './shared/projections/stream-projection.js';

/**
 * Every registered read-model projection of every subgraph, for `npm run projections:rebuild`.
 * Append a subgraph's list here when it gains projections (tracking, history); categories must not
 * overlap, and each projection owns its tables.
 */
export const allProjections: readonly AnyStreamProjection[] = [...inventoryProjections, ...trackingProjections, ...historyProjections];
