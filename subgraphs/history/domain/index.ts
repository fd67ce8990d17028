export * from './streams/stream-ids.js';
export * from './rules/index.js';
export * from './entry/index.js';
export * from './comparison/index.js';
export * from './analysis/index.js';
export { ENTRY_EVENTS, COMPARISON_EVENTS, ANALYSIS_EVENTS } from './events.js';
