export * from './limits.js';
export {
  validateId,
  validateSku,
  validateRequiredText,
  validateOptionalText,
  validateIntegerInRange,
  validateQuantity,
  validateInstant,
} from './validate.js';
