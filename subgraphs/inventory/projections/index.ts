import type { AnyStreamProjection } from '../../shared/projections/stream-projection.js';
import { productProjection } from './product-projection.js';
import { stockProjection } from './stock-projection.js';
import { storeProjection } from './store-projection.js';

export * from './product-projection.js';
export * from './store-projection.js';
export * from './stock-projection.js';

/** Every inventory read model, for rebuilds. */
export const inventoryProjections: readonly AnyStreamProjection[] = [productProjection, storeProjection, stockProjection];
