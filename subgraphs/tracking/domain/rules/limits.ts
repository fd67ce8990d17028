/** Length and range limits shared by the tracking deciders. */

/** Longest accepted id (campaign, influencer, impression, conversion, product, store): the shared id rule's. */
export { MAX_ID_LENGTH } from '../../../shared/domain/id.js';
/** Longest accepted campaign name (after trimming). */
export const MAX_CAMPAIGN_NAME_LENGTH = 200;
/** Longest accepted influencer handle. */
export const MAX_HANDLE_LENGTH = 100;
/** Characters an influencer handle may contain. */
export const HANDLE_PATTERN = /^[A-Za-z0-9_.]+$/;
/** Most impressions one `registerImpressions` batch may carry (duplicates included). */
export const MAX_IMPRESSION_BATCH = 10_000;
/** Largest quantity a conversion may record. */
export const MAX_CONVERSION_QUANTITY = 1_000_000_000;
/**
 * How far in the future (relative to the command's `now`) an activity's `occurredAt` may lie,
 * to tolerate clock skew between the reporting client and the service.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
