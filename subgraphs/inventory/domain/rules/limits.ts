/** Length and range limits shared by the inventory deciders. */

/** Longest accepted id (product, store, reservation, customer): the shared id rule's. */
export { MAX_ID_LENGTH } from '../../../shared/domain/id.js';
/** Longest accepted SKU. */
export const MAX_SKU_LENGTH = 64;
/** Characters a SKU may contain. */
export const SKU_PATTERN = /^[A-Za-z0-9._-]+$/;
/** Longest accepted product or store name (after trimming). */
export const MAX_NAME_LENGTH = 200;
/** Longest accepted product description (after trimming). */
export const MAX_DESCRIPTION_LENGTH = 2000;
/** Longest accepted store location (after trimming). */
export const MAX_LOCATION_LENGTH = 200;
/** Longest accepted stock-removal reason (after trimming). */
export const MAX_REASON_LENGTH = 200;
/** Largest quantity one command may move; also the ceiling of a stock level's total. */
export const MAX_QUANTITY = 1_000_000_000;
/** Shortest and longest reservation lifetime, in seconds. */
export const MIN_TTL_SECONDS = 1;
export const MAX_TTL_SECONDS = 86_400;
/** Largest accepted low-stock threshold. */
export const MAX_LOW_STOCK_THRESHOLD = 1_000_000;
/** Threshold a stock level starts with until `SetLowStockThreshold` changes it. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;
