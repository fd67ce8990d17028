/**
 * Stream names of the inventory subgraph. Every stream is `<category>-<id>`: the category
 * names the kind of stream, the id the instance, so a category is read by its prefix.
 * Ids are validated by the deciders to exclude `:`, so a stock stream name maps back to exactly one
 * product and store.
 */

/** Category prefix of product streams. */
export const PRODUCT_CATEGORY = 'product';
/** Category prefix of store streams. */
export const STORE_CATEGORY = 'store';
/** Category prefix of stock-level streams (one per product and store). */
export const STOCK_CATEGORY = 'stock';

/** The stream of one product: `product-<id>`. */
export const productStreamId = (productId: string): string => `${PRODUCT_CATEGORY}-${productId}`;

/** The stream of one store: `store-<id>`. */
export const storeStreamId = (storeId: string): string => `${STORE_CATEGORY}-${storeId}`;

/**
 * The stream of one stock level, which also holds that level's reservations:
 * `stock-<productId>:<storeId>`.
 */
export const stockStreamId = (productId: string, storeId: string): string => `${STOCK_CATEGORY}-${productId}:${storeId}`;
