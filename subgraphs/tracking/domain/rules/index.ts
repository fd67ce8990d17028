export * from './limits.js';
export {
  validateId,
  validateOptionalId,
  validateRequiredText,
  validateInstant,
  validateInstantMs,
  validatePositiveInteger,
} from './validate.js';
