export { PRODUCT_CATEGORY, STORE_CATEGORY, STOCK_CATEGORY, productStreamId, storeStreamId, stockStreamId } from './stream-ids.js';
