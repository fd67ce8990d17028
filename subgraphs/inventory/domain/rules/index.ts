export * from './limits.js';
// The id rule is every subgraph's: one implementation, in the shared platform.
export { validateId } from '../../../shared/domain/id.js';
export { validateSku, validateRequiredText, validateOptionalText, validateIntegerInRange, validateQuantity, validateInstant } from './validate.js';
