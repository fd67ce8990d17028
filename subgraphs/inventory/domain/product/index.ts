export type { RegisterProduct, ProductCommand } from './commands.js';
export type { ProductRegistered, ProductEvent } from './events.js';
export { initialProductState, type ProductState } from './state.js';
export { decideProduct, evolveProduct, productDecider } from './decider.js';
