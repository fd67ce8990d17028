export * from './limits.js';
// The id rule is every subgraph's: one implementation, in the shared platform.
export { validateId, validateOptionalId } from '../../../shared/domain/id.js';
export { validateRequiredText, validateInstant, validateInstantMs, validatePositiveInteger } from './validate.js';
