import type { AnyStreamProjection } from '../../shared/projections/stream-projection.js';
import { analysisJobProjection } from './analysis-projection.js';
import { comparisonProjection } from './comparison-projection.js';
import { entryProjection } from './entry-projection.js';

export * from './analytics.js';
export * from './rows.js';
export * from './entry-projection.js';
export * from './comparison-projection.js';
export * from './analysis-projection.js';

/** Every history read model, for rebuilds (one projection per stream category). */
export const historyProjections: readonly AnyStreamProjection[] = [entryProjection, comparisonProjection, analysisJobProjection];
