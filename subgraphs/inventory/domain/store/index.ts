export type { RegisterStore, StoreCommand } from './commands.js';
export type { StoreRegistered, StoreEvent } from './events.js';
export { initialStoreState, type StoreState } from './state.js';
export { decideStore, evolveStore, storeDecider } from './decider.js';
